// One lint configuration for every package: ESLint's and typescript-eslint's recommended rules.
import js from '@eslint/js'
import tseslint from 'typescript-eslint'

export default tseslint.config(
  {
    ignores: [
      'services/console/web/src/api/*.d.ts',
      '**/node_modules/**',
      '**/dist/**',
      '**/coverage/**',
      '**/.tap/**',
      'infra/kafka/lib/**',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      // Row mapping at the SQL boundary and a few library seams are typed loosely on purpose.
      '@typescript-eslint/no-explicit-any': 'off',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-empty': ['error', { allowEmptyCatch: true }],
      // Prettier wraps code at 120 characters but not strings, templates or comments: long SQL, descriptions and
      // messages are broken by hand (SQL over lines, text in concatenated pieces), and this keeps them so.
      'max-len': ['error', { code: 120 }],
    },
  },
)
