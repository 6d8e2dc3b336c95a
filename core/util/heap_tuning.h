// Allocator settings for processes that run tensor work on the CPU (training, generation, eval).
#pragma once

namespace distill::util {

// glibc serves blocks above a dynamic threshold (at most 32 MiB) with mmap and unmaps them on
// free, so every training step's large activations (attention scores, logits chunks) are mapped
// again and page-faulted in: a third of the toy SFT's CPU time went to the kernel and steps varied
// 2-8 k tokens/s. This keeps such blocks in the heap and freed memory in the process, so a step
// reuses the memory of the step before. No effect with other C libraries. Call once at start.
void keepLargeBlocksInHeap();

}  // namespace distill::util
