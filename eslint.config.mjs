import eslint from '@eslint/js';
import tseslint from 'typescript-eslint';
import prettier from 'eslint-config-prettier';

export default tseslint.config(
  { ignores: ['dist/', 'var/', 'node_modules/', 'coverage/', 'test-artifacts/', '*.js', '*.mjs'] },
  eslint.configs.recommended,
  ...tseslint.configs.recommended,
  prettier,
  {
    // Node scripts run without a build (scripts/register-ts.cjs compiles the sources they load).
    files: ['scripts/**/*.cjs'],
    languageOptions: {
      sourceType: 'commonjs',
      globals: {
        require: 'readonly',
        module: 'writable',
        exports: 'writable',
        __dirname: 'readonly',
        process: 'readonly',
      },
    },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'off',
      'no-console': 'error',
    },
  },
  {
    // Request fields use the decorators of src/common/validation.ts, which document what they enforce.
    files: ['src/**/*.ts'],
    ignores: ['src/common/validation.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [
            {
              name: 'class-validator',
              importNames: ['IsOptional'],
              message:
                'IsOptional() also waves null through: use IsOptionalNotNull(), or Nullable() (documented nullable).',
            },
            {
              name: 'class-validator',
              importNames: ['IsDate', 'IsDateString', 'IsISO8601'],
              message: 'Use IsoDateTime(): an ISO 8601 string with its zone, documented as date-time.',
            },
          ],
        },
      ],
      'no-restricted-syntax': [
        'error',
        {
          selector:
            "Decorator CallExpression[callee.name='Type'] > ArrowFunctionExpression > Identifier[name=/^(Date|Number)$/]",
          message:
            'Type(() => Date|Number) coerces anything: use IsoDateTime(), IntegerField() or QueryInteger().',
        },
      ],
    },
  },
  {
    files: [
      'test/**/*.ts',
      '**/*.spec.ts',
      'bench/**/*.ts',
      'src/demo/**/*.ts',
      'src/delivery/smtp/mail-list.ts',
    ],
    rules: { 'no-console': 'off' },
  },
);
