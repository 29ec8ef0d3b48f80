#!/usr/bin/env node
// Build the vendored partial plotly.js bundle of relief-analytics, reproducibly:
//   cd scripts/plotly_bundle && npm ci --ignore-scripts && node build.js
// writes ../../relief_analytics/assets/js/plotly/plotly-relief.min.js (+ LICENSE) and prints its
// sha256, to record in relief_analytics/assets/js/plotly/README.md and the bundle test.
// Versions come from package-lock.json (plotly.js must share the major version of the plotly.js
// bundled with the plotly Python package).
'use strict';

const crypto = require('crypto');
const fs = require('fs');
const path = require('path');
const esbuild = require('esbuild');

const ROOT = path.resolve(__dirname, '..', '..');
const OUT_DIR = path.join(ROOT, 'relief_analytics', 'assets', 'js', 'plotly');
const OUT_FILE = path.join(OUT_DIR, 'plotly-relief.min.js');
const PLOTLY_DIR = path.dirname(require.resolve('plotly.js/package.json'));
const PLOTLY_VERSION = require('plotly.js/package.json').version;
const ESBUILD_VERSION = require('esbuild/package.json').version;
const COPYRIGHT = fs
    .readFileSync(path.join(PLOTLY_DIR, 'LICENSE'), 'utf8')
    .split('\n')
    .find((line) => line.startsWith('Copyright'))
    .trim();

// scatter comes with plotly.js/lib/core.
const TRACE_TYPES = ['scatter', 'bar', 'pie', 'scattergeo', 'choropleth'];

async function main() {
    fs.mkdirSync(OUT_DIR, { recursive: true });
    const banner =
        `/** plotly.js v${PLOTLY_VERSION} (relief-analytics partial bundle: ` +
        `${TRACE_TYPES.join(', ')}; locale fr; esbuild ${ESBUILD_VERSION})\n` +
        ` * ${COPYRIGHT.replace(/\.$/, '')}. MIT License: see LICENSE beside this file.\n */`;
    const result = await esbuild.build({
        entryPoints: [path.join(__dirname, 'entry.js')],
        outfile: OUT_FILE,
        format: 'iife',
        globalName: 'Plotly',
        bundle: true,
        minify: true,
        legalComments: 'none',
        sourcemap: false,
        target: 'es2016',
        banner: { js: banner },
        // Same settings as plotly.js's own esbuild-config.js.
        alias: { regl: '@plotly/regl', stream: 'stream-browserify' },
        define: {
            global: 'window',
            'define.amd': 'false',
            'process.env.NODE_DEBUG': 'false',
        },
        // plotly.js's registry requires maplibre-gl's CSS for map traces, which this bundle
        // does not register: an empty module instead (no .css file next to the bundle).
        loader: { '.css': 'empty' },
        logLevel: 'warning',
        metafile: true,
    });
    fs.copyFileSync(path.join(PLOTLY_DIR, 'LICENSE'), path.join(OUT_DIR, 'LICENSE'));
    const bytes = fs.readFileSync(OUT_FILE);
    const sha256 = crypto.createHash('sha256').update(bytes).digest('hex');
    process.stdout.write(
        `${path.relative(ROOT, OUT_FILE)}: ${bytes.length} bytes, sha256 ${sha256}\n` +
        `plotly.js ${PLOTLY_VERSION}, esbuild ${ESBUILD_VERSION}, traces ${TRACE_TYPES.join(',')}\n`
    );
    if (result.warnings.length) {
        process.stdout.write(`${result.warnings.length} esbuild warning(s)\n`);
    }
}

main().catch((error) => {
    process.stderr.write(`${error.stack || error}\n`);
    process.exit(1);
});
