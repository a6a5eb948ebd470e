// face-api's SsdMobilenetv1 detections on every PNG of a folder, for SsdMobilenetv1Test.
// Usage: node ssd-fixture.mjs PNG_DIR OUT_JSON   (see README.md for the whole procedure)
import { createHash } from 'node:crypto';
import { createRequire } from 'node:module';
import fs from 'node:fs';
import path from 'node:path';

const require = createRequire(import.meta.url);
// The node-wasm build needs no native TensorFlow; it loads tfjs (and the wasm backend, unused here).
const faceapi = require('@vladmandic/face-api/dist/face-api.node-wasm.js');
const { PNG } = require('pngjs');

const OPTIONS = { minConfidence: 0.5, maxResults: 100 };

const [pngDir, outFile] = process.argv.slice(2);
if (!pngDir || !outFile) {
  console.error('usage: node ssd-fixture.mjs PNG_DIR OUT_JSON');
  process.exit(2);
}
const faceApiDir = path.dirname(require.resolve('@vladmandic/face-api/dist/face-api.node-wasm.js'));
const modelDir = path.join(faceApiDir, '..', 'model');

// The pure-JS cpu backend: plain float32 JavaScript arithmetic, the reference the ports are held to.
await faceapi.tf.setBackend('cpu');
await faceapi.tf.ready();
await faceapi.nets.ssdMobilenetv1.loadFromDisk(modelDir);

const images = {};
for (const file of fs.readdirSync(pngDir).filter((f) => f.endsWith('.png')).sort()) {
  const png = PNG.sync.read(fs.readFileSync(path.join(pngDir, file)));
  const rgb = new Uint8Array(png.width * png.height * 3);
  for (let p = 0; p < png.width * png.height; p++) {
    rgb.set(png.data.subarray(p * 4, p * 4 + 3), p * 3); // alpha dropped
  }
  const tensor = faceapi.tf.tensor3d(Int32Array.from(rgb), [png.height, png.width, 3], 'int32');
  const detections = await faceapi.detectAllFaces(tensor, new faceapi.SsdMobilenetv1Options(OPTIONS));
  tensor.dispose();
  images[file] = {
    width: png.width,
    height: png.height,
    rgbSha256: createHash('sha256').update(rgb).digest('hex'),
    faces: detections.map((d) => ({ score: d.score, box: [d.box.x, d.box.y, d.box.width, d.box.height] })),
  };
  console.log(file, png.width, 'x', png.height, detections.length, 'faces');
}

const fixture = {
  producedBy: {
    faceApi: faceapi.version,
    tfjs: faceapi.tf.version_core,
    backend: faceapi.tf.getBackend(),
    node: process.version,
    call: `detectAllFaces(int32 tensor, new SsdMobilenetv1Options(${JSON.stringify(OPTIONS)}))`,
  },
  images,
};
fs.writeFileSync(outFile, `${JSON.stringify(fixture, null, 2)}\n`);
