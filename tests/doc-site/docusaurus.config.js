// @ts-check
// Minimal Docusaurus 3 site used only to prove that the generated StackQL
// MDX pages compile and render. Docs-only mode: the docs plugin serves the
// generated tree (copied into ./docs by run.sh) under /services/, which is
// where the generated service index pages link to.

/** @type {import('@docusaurus/types').Config} */
const config = {
  title: 'discogen doc-site check',
  tagline: 'Generated StackQL Google provider docs',
  url: 'http://127.0.0.1',
  baseUrl: '/',
  // The golden set (and any partial generator run) has a service index that
  // links to resource pages which are not in the tree. Those links are a
  // property of the input, not a compile error, so they must not fail the
  // build; run.sh still prints the warnings.
  onBrokenLinks: 'warn',
  onBrokenAnchors: 'warn',
  onDuplicateRoutes: 'throw',
  trailingSlash: true,
  i18n: { defaultLocale: 'en', locales: ['en'] },
  markdown: {
    // Parse .md files as MDX, as the real StackQL provider site does: the
    // generated pages are .md files with `import` statements and JSX.
    format: 'mdx',
    hooks: {
      onBrokenMarkdownLinks: 'warn',
      onBrokenMarkdownImages: 'warn',
    },
  },
  plugins: [
    require.resolve('./plugins/home-page.js'),
    [
      '@docusaurus/plugin-content-docs',
      {
        path: 'docs',
        routeBasePath: 'services',
        sidebarPath: require.resolve('./sidebars.js'),
        editUrl: undefined,
        showLastUpdateTime: false,
        showLastUpdateAuthor: false,
      },
    ],
  ],
  themes: [
    [
      '@docusaurus/theme-classic',
      {
        customCss: require.resolve('./src/css/custom.css'),
      },
    ],
  ],
  themeConfig: {
    colorMode: { defaultMode: 'light', disableSwitch: true, respectPrefersColorScheme: false },
    navbar: {
      title: 'discogen doc-site check',
      items: [],
    },
    // prism-react-renderer already bundles sql and yaml, the two languages
    // the generated pages use.
    prism: {},
  },
};

module.exports = config;
