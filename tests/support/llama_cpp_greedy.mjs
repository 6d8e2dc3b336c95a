// llama.cpp's greedy choice after each prefix of a token sequence, through node-llama-cpp (its
// prebuilt CPU llama.cpp): loads MODEL.gguf, evaluates PROMPT, then feeds FORCED one token at a time
// and records the argmax after each step (temperature 0).
//   node llama_cpp_greedy.mjs PACKAGE_DIR MODEL.gguf '[prompt ids]' '[forced ids]'
// PACKAGE_DIR holds node_modules/node-llama-cpp. Prints {"greedy": [...], "vocab": n} as one JSON line.
import { join } from "node:path";
import { pathToFileURL } from "node:url";

const [packageDir, modelPath, promptText, forcedText] = process.argv.slice(2);
const { getLlama, LlamaLogLevel } = await import(
  pathToFileURL(join(packageDir, "node_modules", "node-llama-cpp", "dist", "index.js")).href);
const llama = await getLlama({ gpu: false, build: "never", logLevel: LlamaLogLevel.error });
const model = await llama.loadModel({ modelPath });
const context = await model.createContext({ contextSize: 256, batchSize: 256, threads: 1 });
const sequence = context.getSequence();
const prompt = JSON.parse(promptText);
const forced = JSON.parse(forcedText);
const greedy = [];
const steps = sequence.evaluate(prompt, { temperature: 0, yieldEogToken: true });
let next = await steps.next();
for (let i = 0; i < forced.length && !next.done; ++i) {
  greedy.push(next.value);
  if (i + 1 < forced.length)
    next = await steps.next(forced[i]);
}
await steps.return();
console.log(JSON.stringify({ greedy, vocab: model.tokens.size ?? null }));
await context.dispose();
await model.dispose();
await llama.dispose();
