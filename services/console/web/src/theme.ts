import { createTheme, Drawer, Modal, Notification, type CSSVariablesResolver } from '@mantine/core'
import i18n from './i18n'

const closeButtonName = { 'aria-label': i18n.t('common.close') }

/** The console's theme: Mantine's defaults, with a blue that keeps text on it at WCAG AA contrast. */
export const theme = createTheme({
  primaryColor: 'blue',
  primaryShade: { light: 8, dark: 6 },
  defaultRadius: 'sm',
  // Filled badges and buttons pick black or white text by their background; a lower threshold than Mantine's 0.3
  // gives mid greens and oranges black text, which keeps 4.5:1 where white would not.
  autoContrast: true,
  luminanceThreshold: 0.2,
  fontFamily: 'system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif',
  // Transitions follow the system's "reduce motion" setting (a toast fading in is read at its final contrast).
  respectReducedMotion: true,
  components: {
    // Mantine's close buttons have no name of their own; screen readers need one.
    Notification: Notification.extend({
      defaultProps: { closeButtonProps: closeButtonName },
      // Under a title Mantine greys the message to gray.6, below 4.5:1 on white; the dimmed colour (gray.7) passes.
      styles: { description: { color: 'var(--mantine-color-dimmed)' } },
    }),
    Modal: Modal.extend({ defaultProps: { closeButtonProps: closeButtonName } }),
    Drawer: Drawer.extend({ defaultProps: { closeButtonProps: closeButtonName } }),
  },
})

/** Mantine's dimmed grey (gray.6) falls short of 4.5:1 on light backgrounds; gray.7 passes. */
export const cssVariablesResolver: CSSVariablesResolver = () => ({
  variables: {},
  light: { '--mantine-color-dimmed': 'var(--mantine-color-gray-7)' },
  dark: {},
})
