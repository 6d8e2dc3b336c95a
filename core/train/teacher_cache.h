// The cached top-k teacher of logit distillation: one pass of the teacher over the training examples
// stores, for every target token, its k most likely token ids and their log-probs at T = 1 in a
// binary file of the run folder, which training reads back per micro-batch by example index.
#pragma once

#include "core/model/causal_lm.h"
#include "core/train/sft_data.h"
#include "core/util/progress.h"

#include <ATen/core/Tensor.h>

#include <cstdint>
#include <filesystem>
#include <fstream>
#include <utility>
#include <vector>

namespace distill::train {

inline constexpr const char* kTeacherCacheFile = "teacher_topk.bin";  // in the run folder

// The file, in host (little-endian) byte order: "DSTLTOPK", uint32 version (1), uint32 k,
// int64 vocabulary size, int64 example count n, int64 offsets[n + 1] (the first target of each
// example, offsets[n] the total), then per target token int32 ids[k] and float32 log-probs[k]
// (k × 8 bytes), examples in index order.
struct TeacherCacheHeader {
    std::int64_t vocabSize = 0;
    std::int64_t k = 0;
    std::vector<std::int64_t> offsets;  // n + 1 entries

    std::int64_t examples() const { return std::int64_t(offsets.size()) - 1; }
    std::int64_t headerBytes() const;
    std::int64_t recordBytes() const { return k * 8; }  // per target token
    bool operator==(const TeacherCacheHeader&) const = default;
};

// The header of a cache over `examples` (their targets: trained tokens after the first).
TeacherCacheHeader teacherCacheHeader(std::int64_t vocabSize, std::int64_t k,
                                      const std::vector<TokenizedExample>& examples);

struct TeacherPassOptions {
    std::int64_t rowsPerBatch = 8;     // packed rows of consecutive examples per teacher forward
    std::int64_t maxSeqLen = 2048;     // row length limit
    std::int64_t chunkTokens = 1024;   // targets per lm_head chunk
    std::int64_t padId = 0;
};

// Whether `file` is a complete cache with this header (then it is never computed again).
bool teacherCacheComplete(const std::filesystem::path& file, const TeacherCacheHeader& header);

// The teacher's pass: writes its top-k over `examples` (k = header.k) to `file`.partial, continuing a
// partial file of the same header after its last complete example, and renames it to `file` when
// done. `progress` gets (examples done, total) after every batch; when it returns false the pass
// stops, leaving the partial file, and this returns false.
bool buildTeacherCache(const std::filesystem::path& file, model::CausalLMImpl& teacher,
                       const std::vector<TokenizedExample>& examples, const TeacherCacheHeader& header,
                       const TeacherPassOptions& options, const ProgressFn& progress);

// Reads a complete cache file.
class TeacherCache {
public:
    explicit TeacherCache(const std::filesystem::path& file);  // NotFound / InvalidArgument on a bad file

    const TeacherCacheHeader& header() const { return m_header; }
    // The top-k of the targets of one example: ids [N, k] int64, log-probs [N, k] float32.
    std::pair<at::Tensor, at::Tensor> read(std::int64_t example);
    // Sets batch.teacherTopIds / teacherTopLogProbs for the batch made by makeBatch(examples, rows).
    void attach(TrainBatch& batch, const MicroBatchPlan& rows);

private:
    std::filesystem::path m_file;
    std::ifstream m_in;
    TeacherCacheHeader m_header;
};

// Appends the records of a whole number of examples (ids [N, k], log-probs [N, k]) to `out`.
void writeTeacherRecords(std::ostream& out, const at::Tensor& ids, const at::Tensor& logProbs);
// Writes the header.
void writeTeacherCacheHeader(std::ostream& out, const TeacherCacheHeader& header);

}  // namespace distill::train
