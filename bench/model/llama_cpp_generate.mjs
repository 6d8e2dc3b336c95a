// llama.cpp's generation speed through node-llama-cpp (its prebuilt CPU llama.cpp), for
// bench_generate --llama-cpp: BATCH sequences of one context generate NEW tokens each after their
// PROMPT (random ids from bench_generate), sampled with T 0.6 and top-p 0.95, all at once.
//   node llama_cpp_generate.mjs PACKAGE_DIR MODEL.gguf THREADS NEW '[[prompt ids], ...]'
// Prints {"batch", "tokens", "seconds", "tokens_per_s", "first_token_seconds"} as one JSON line.
import { join } from "node:path";
import { pathToFileURL } from "node:url";

const [packageDir, modelPath, threadsText, newText, promptsText] = process.argv.slice(2);
const { getLlama, LlamaLogLevel } = await import(
  pathToFileURL(join(packageDir, "node_modules", "node-llama-cpp", "dist", "index.js")).href);
const prompts = JSON.parse(promptsText);
const newTokens = Number(newText);
const llama = await getLlama({ gpu: false, build: "never", logLevel: LlamaLogLevel.error });
const model = await llama.loadModel({ modelPath });
const longest = Math.max(...prompts.map((p) => p.length)) + newTokens;
const context = await model.createContext({
  sequences: prompts.length, contextSize: longest * prompts.length, batchSize: Math.max(512, longest),
  threads: Number(threadsText) });
const started = performance.now();
let firstToken = null;
let tokens = 0;
await Promise.all(prompts.map(async (prompt, i) => {
  const sequence = context.getSequence();
  let n = 0;
  for await (const token of sequence.evaluate(prompt, { temperature: 0.6, topP: 0.95, topK: 0, seed: i, yieldEogToken: true })) {
    void token;
    if (firstToken === null)
      firstToken = (performance.now() - started) / 1000;
    if (++n >= newTokens)
      break;
  }
  tokens += n;
}));
const seconds = (performance.now() - started) / 1000;
console.log(JSON.stringify({ batch: prompts.length, tokens, seconds, tokens_per_s: tokens / seconds,
                             first_token_seconds: firstToken }));
await context.dispose();
await model.dispose();
await llama.dispose();
