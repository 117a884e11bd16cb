// Tiny static file server for the built site (no dependencies).
//
//   node serve.mjs ROOT_DIR [PORT_FILE]
//
// Listens on 127.0.0.1 on a free port chosen by the OS, prints
// "http://127.0.0.1:PORT" on stdout and, when PORT_FILE is given, writes the
// port number to it once the server is listening. Serves ROOT/x/index.html for
// /x/, redirects /x to /x/ when x is a directory, and answers unknown paths
// with ROOT/404.html and status 404. Stops on SIGTERM/SIGINT.
import http from 'node:http';
import fs from 'node:fs';
import path from 'node:path';

const [root, portFile] = process.argv.slice(2);
if (!root) {
  console.error('usage: node serve.mjs ROOT_DIR [PORT_FILE]');
  process.exit(2);
}
const rootDir = path.resolve(root);
if (!fs.statSync(rootDir, {throwIfNoEntry: false})?.isDirectory()) {
  console.error(`serve.mjs: not a directory: ${rootDir}`);
  process.exit(2);
}

const TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.ico': 'image/x-icon',
  '.webp': 'image/webp',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.txt': 'text/plain; charset=utf-8',
  '.xml': 'application/xml; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
};

function send(res, status, file, method) {
  const type = TYPES[path.extname(file).toLowerCase()] || 'application/octet-stream';
  const body = fs.readFileSync(file);
  res.writeHead(status, {'Content-Type': type, 'Content-Length': body.length, 'Cache-Control': 'no-store'});
  res.end(method === 'HEAD' ? undefined : body);
}

const server = http.createServer((req, res) => {
  try {
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, {Allow: 'GET, HEAD'});
      res.end();
      return;
    }
    const url = new URL(req.url, 'http://127.0.0.1');
    let rel;
    try {
      rel = decodeURIComponent(url.pathname);
    } catch {
      res.writeHead(400);
      res.end('bad request');
      return;
    }
    const target = path.resolve(rootDir, '.' + path.posix.normalize('/' + rel));
    if (target !== rootDir && !target.startsWith(rootDir + path.sep)) {
      res.writeHead(403);
      res.end('forbidden');
      return;
    }
    const st = fs.statSync(target, {throwIfNoEntry: false});
    if (st?.isDirectory()) {
      if (!url.pathname.endsWith('/')) {
        res.writeHead(301, {Location: url.pathname + '/' + url.search});
        res.end();
        return;
      }
      const index = path.join(target, 'index.html');
      if (fs.existsSync(index)) return send(res, 200, index, req.method);
    } else if (st?.isFile()) {
      return send(res, 200, target, req.method);
    } else if (fs.existsSync(target + '.html')) {
      return send(res, 200, target + '.html', req.method);
    }
    const notFound = path.join(rootDir, '404.html');
    if (fs.existsSync(notFound)) return send(res, 404, notFound, req.method);
    res.writeHead(404, {'Content-Type': 'text/plain; charset=utf-8'});
    res.end('not found');
  } catch (err) {
    res.writeHead(500, {'Content-Type': 'text/plain; charset=utf-8'});
    res.end(String(err));
  }
});

server.listen(0, '127.0.0.1', () => {
  const {port} = server.address();
  console.log(`http://127.0.0.1:${port}`);
  if (portFile) fs.writeFileSync(portFile, `${port}\n`);
});

for (const sig of ['SIGTERM', 'SIGINT']) {
  process.on(sig, () => process.exit(0));
}
