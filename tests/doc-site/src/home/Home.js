import React from 'react';
import Layout from '@theme/Layout';
import Link from '@docusaurus/Link';

export default function Home({services}) {
  return (
    <Layout title="Services" description="Generated StackQL Google provider docs">
      <main className="container margin-vert--lg">
        <h1>Services</h1>
        <ul id="services">
          {services.map((name) => (
            <li key={name}>
              <Link to={`/services/${name}/`}>{name}</Link>
            </li>
          ))}
        </ul>
      </main>
    </Layout>
  );
}
