// face-api's SsdMobilenetv1 on every PNG of a folder, for SsdMobilenetv1Test.
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
const INPUT_SIZE = 512;
// The image whose every prior box's score is kept, to check the whole net and not only the boxes it keeps.
const PRIOR_SCORES_IMAGE = 'sample1.png';

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
const net = faceapi.nets.ssdMobilenetv1;
await net.loadFromDisk(modelDir);

const detect = async (tensor) => (await faceapi.detectAllFaces(tensor, new faceapi.SsdMobilenetv1Options(OPTIONS)))
  .map((d) => ({ score: d.score, box: [d.box.x, d.box.y, d.box.width, d.box.height] }));

const images = {};
let priorScores;
for (const file of fs.readdirSync(pngDir).filter((f) => f.endsWith('.png')).sort()) {
  const png = PNG.sync.read(fs.readFileSync(path.join(pngDir, file)));
  const rgb = new Uint8Array(png.width * png.height * 3);
  for (let p = 0; p < png.width * png.height; p++) {
    rgb.set(png.data.subarray(p * 4, p * 4 + 3), p * 3); // alpha dropped
  }
  const tensor = faceapi.tf.tensor3d(Int32Array.from(rgb), [png.height, png.width, 3], 'int32');
  images[file] = {
    width: png.width,
    height: png.height,
    rgbSha256: createHash('sha256').update(rgb).digest('hex'),
    faces: await detect(tensor),
  };
  if (file === PRIOR_SCORES_IMAGE) {
    const { boxes, scores } = net.forwardInput(await faceapi.toNetInput(tensor));
    // 9 significant digits give a float32 back exactly.
    priorScores = { file, scores: Array.from(scores[0].dataSync(), (s) => Number(s.toPrecision(9))) };
    faceapi.tf.dispose([...boxes, ...scores]);
  }
  tensor.dispose();
  console.log(file, png.width, 'x', png.height, images[file].faces.length, 'faces');
}

// locateFaces' non-max suppression and mapping on made-up net outputs: forwardInput is replaced by one returning
// these boxes ([ymin, xmin, ymax, xmax] relative to the square input) and scores, as float32 tensors.
async function locateFacesOn(width, height, boxes, scores) {
  net.forwardInput = (input) => {
    faceapi.tf.dispose(input.toBatchTensor(INPUT_SIZE, false)); // sets the input size that locateFaces maps with
    return {
      boxes: [faceapi.tf.tensor2d(boxes.flat(), [boxes.length, 4], 'float32')],
      scores: [faceapi.tf.tensor1d(scores, 'float32')],
    };
  };
  const image = faceapi.tf.zeros([height, width, 3], 'int32');
  try {
    return { width, height, boxes, scores, faces: await detect(image) };
  } finally {
    image.dispose();
    delete net.forwardInput;
  }
}

// mulberry32: a seeded generator, so that the made-up outputs are the same on every run.
function random(seed) {
  let state = seed;
  return () => {
    state = (state + 0x6D2B79F5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
const f32 = Math.fround;

// 12 clusters of 15 jittered boxes: overlaps on both sides of IoU 0.5, some boxes past the square's edges.
function clusters() {
  const next = random(1);
  const boxes = [];
  const scores = [];
  for (let c = 0; c < 12; c++) {
    const [cy, cx, size] = [-0.05 + 1.1 * next(), -0.05 + 1.1 * next(), 0.05 + 0.25 * next()];
    for (let k = 0; k < 15; k++) {
      const [h, w] = [size * (0.7 + 0.6 * next()), size * (0.7 + 0.6 * next())];
      const [y, x] = [cy + 0.4 * size * (next() - 0.5), cx + 0.4 * size * (next() - 0.5)];
      boxes.push([y - h / 2, x - w / 2, y + h / 2, x + w / 2].map(f32));
      scores.push(f32(0.3 + 0.7 * next()));
    }
  }
  return [boxes, scores];
}

// One case each, apart from the others: [box, score].
function edgeCases() {
  const cases = [
    // Equal scores, overlapping: the first box is kept.
    [[0.05, 0.05, 0.25, 0.25], 0.9], [[0.06, 0.06, 0.26, 0.26], 0.9],
    // Exactly minConfidence is not above it; the next float32 is.
    [[0.05, 0.4, 0.15, 0.5], 0.5], [[0.05, 0.6, 0.15, 0.7], 0.5 + 2 ** -24],
    // Without area: overlaps nothing, so both are kept.
    [[0.4, 0.05, 0.4, 0.25], 0.99], [[0.4, 0.05, 0.4, 0.25], 0.98],
    // Past the square's edges: clipped to it.
    [[0.9, 0.9, 1.2, 1.1], 0.7], [[-0.1, -0.1, 0.02, 0.02], 0.8],
    // IoU exactly 0.5 with the first (kept), then 2/3 (suppressed).
    [[0.5, 0.5, 0.625, 0.625], 0.95], [[0.5, 0.5, 0.625, 0.75], 0.85], [[0.5, 0.5, 0.625, 0.7], 0.8],
  ];
  return [cases.map(([box]) => box.map(f32)), cases.map(([, score]) => f32(score))];
}

// 130 boxes that do not overlap, all scoring above minConfidence: maxResults keeps the best 100.
function moreThanMaxResults() {
  const next = random(2);
  const boxes = [];
  const scores = [];
  for (let row = 0; row < 10; row++) {
    for (let col = 0; col < 13; col++) {
      boxes.push([row / 10, col / 13, (row + 0.8) / 10, (col + 0.8) / 13].map(f32));
      scores.push(f32(0.5 + 0.5 * next()));
    }
  }
  return [boxes, scores];
}

const suppression = {
  clusters: await locateFacesOn(640, 480, ...clusters()),
  edgeCases: await locateFacesOn(500, 300, ...edgeCases()),
  moreThanMaxResults: await locateFacesOn(300, 500, ...moreThanMaxResults()),
};

const fixture = {
  producedBy: {
    faceApi: faceapi.version,
    tfjs: faceapi.tf.version_core,
    backend: faceapi.tf.getBackend(),
    node: process.version,
    call: `detectAllFaces(int32 tensor, new SsdMobilenetv1Options(${JSON.stringify(OPTIONS)}))`,
  },
  images,
  priorScores,
  suppression,
};
// One line per array of numbers.
const text = JSON.stringify(fixture, null, 2).replace(/\[[-+.\deE,\s]*\]/g, (a) => a.replace(/\s+/g, ''));
fs.writeFileSync(outFile, `${text}\n`);
