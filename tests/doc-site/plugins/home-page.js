// Local plugin: adds a home page at "/" that links to every generated
// service (each docs/<service>/index.md is served at /services/<service>/).
// It exists so that the theme's navbar link to "/" is not broken, and so a
// reader of the built site has a starting point.
const fs = require('fs');
const path = require('path');

module.exports = function homePagePlugin(context) {
  return {
    name: 'discogen-home-page',
    async loadContent() {
      const docsDir = path.join(context.siteDir, 'docs');
      if (!fs.existsSync(docsDir)) return [];
      return fs
        .readdirSync(docsDir, {withFileTypes: true})
        .filter((d) => d.isDirectory())
        .map((d) => d.name)
        .filter((name) => fs.existsSync(path.join(docsDir, name, 'index.md')) ||
          fs.existsSync(path.join(docsDir, name, 'index.mdx')))
        .sort();
    },
    async contentLoaded({content, actions}) {
      const servicesPath = await actions.createData('services.json', JSON.stringify(content));
      actions.addRoute({
        path: context.baseUrl,
        component: '@site/src/home/Home.js',
        exact: true,
        modules: {services: servicesPath},
      });
    },
  };
};
