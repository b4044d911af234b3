import { defineConfig } from 'vite'
import react from '@vitejs/plugin-react'

// The console server (port 3000) serves web/dist in production; in development Vite serves the app and
// hands /api to that server, so the session cookie and the proxy behave as they will in production.
export default defineConfig({
  plugins: [react()],
  build: { outDir: 'dist', emptyOutDir: true, chunkSizeWarningLimit: 800 },
  server: { proxy: { '/api': { target: 'http://127.0.0.1:3000', changeOrigin: false } } },
})
