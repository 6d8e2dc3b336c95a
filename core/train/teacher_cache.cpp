#include "core/train/teacher_cache.h"

#include "core/train/sft_trainer.h"
#include "core/util/error.h"

#include <torch/torch.h>

#include <algorithm>
#include <array>
#include <optional>

namespace distill::train {

namespace fs = std::filesystem;

namespace {

constexpr std::array<char, 8> kMagic = {'D', 'S', 'T', 'L', 'T', 'O', 'P', 'K'};
constexpr std::uint32_t kVersion = 1;

template <typename T>
void put(std::ostream& out, const T& value)
{
    out.write(reinterpret_cast<const char*>(&value), sizeof(T));
}

template <typename T>
bool get(std::istream& in, T& value)
{
    return bool(in.read(reinterpret_cast<char*>(&value), sizeof(T)));
}

// The header at the start of `in`; nullopt when it is not a cache file (or is cut short).
std::optional<TeacherCacheHeader> readHeader(std::istream& in)
{
    std::array<char, 8> magic{};
    std::uint32_t version = 0, k = 0;
    std::int64_t vocab = 0, count = 0;
    if (!in.read(magic.data(), magic.size()) || magic != kMagic || !get(in, version) || version != kVersion
        || !get(in, k) || !get(in, vocab) || !get(in, count) || count < 0 || k == 0)
        return std::nullopt;
    TeacherCacheHeader header;
    header.vocabSize = vocab;
    header.k = k;
    header.offsets.resize(std::size_t(count) + 1);
    if (!in.read(reinterpret_cast<char*>(header.offsets.data()), std::streamsize(header.offsets.size() * 8)))
        return std::nullopt;
    return header;
}

std::optional<TeacherCacheHeader> readHeader(const fs::path& file)
{
    std::ifstream in(file, std::ios::binary);
    return in ? readHeader(in) : std::nullopt;
}

// Targets of an example in makeBatch's sense: the tokens after the first that are trained.
std::int64_t targetCount(const TokenizedExample& example)
{
    return std::count(example.trained.begin() + std::min<std::ptrdiff_t>(1, std::ptrdiff_t(example.trained.size())),
                      example.trained.end(), std::uint8_t(1));
}

}  // namespace

std::int64_t TeacherCacheHeader::headerBytes() const
{
    return std::int64_t(kMagic.size()) + 4 + 4 + 8 + 8 + 8 * std::int64_t(offsets.size());
}

TeacherCacheHeader teacherCacheHeader(std::int64_t vocabSize, std::int64_t k, const std::vector<TokenizedExample>& examples)
{
    TeacherCacheHeader header;
    header.vocabSize = vocabSize;
    header.k = std::min(k, vocabSize);
    header.offsets.push_back(0);
    for (const auto& example : examples)
        header.offsets.push_back(header.offsets.back() + targetCount(example));
    return header;
}

void writeTeacherCacheHeader(std::ostream& out, const TeacherCacheHeader& header)
{
    out.write(kMagic.data(), kMagic.size());
    put(out, kVersion);
    put(out, std::uint32_t(header.k));
    put(out, header.vocabSize);
    put(out, header.examples());
    out.write(reinterpret_cast<const char*>(header.offsets.data()), std::streamsize(header.offsets.size() * 8));
}

void writeTeacherRecords(std::ostream& out, const at::Tensor& ids, const at::Tensor& logProbs)
{
    // Per token: k int32 ids, then the k float32 log-probs' bits.
    const auto records = torch::cat({ids.to(torch::kCPU, torch::kInt),
                                     logProbs.to(torch::kCPU, torch::kFloat).contiguous().view(torch::kInt)},
                                    1)
                             .contiguous();  // [N, 2k]
    out.write(reinterpret_cast<const char*>(records.data_ptr<std::int32_t>()), std::streamsize(records.numel() * 4));
}

bool teacherCacheComplete(const fs::path& file, const TeacherCacheHeader& header)
{
    return readHeader(file) == header;
}

bool buildTeacherCache(const fs::path& file, model::CausalLMImpl& teacher, const std::vector<TokenizedExample>& examples,
                       const TeacherCacheHeader& header, const TeacherPassOptions& options, const ProgressFn& progress)
{
    const fs::path partial = file.string() + ".partial";
    // Continue after the last complete example of a partial file of the same header.
    std::int64_t next = 0;
    if (fs::exists(partial) && readHeader(partial) == header) {
        const auto size = std::int64_t(fs::file_size(partial));
        while (next < header.examples()
               && header.headerBytes() + header.offsets[std::size_t(next + 1)] * header.recordBytes() <= size)
            ++next;
        fs::resize_file(partial, std::uintmax_t(header.headerBytes() + header.offsets[std::size_t(next)] * header.recordBytes()));
    } else {
        std::ofstream out(partial, std::ios::binary | std::ios::trunc);
        writeTeacherCacheHeader(out, header);
        if (!out)
            throw Error(ErrorCode::Io, "cannot write " + partial.string());
    }
    std::ofstream out(partial, std::ios::binary | std::ios::app);
    if (!out)
        throw Error(ErrorCode::Io, "cannot write " + partial.string());

    const torch::NoGradGuard noGrad;
    teacher.eval();
    const auto weight = outputWeight(teacher).to(torch::kFloat);  // [V, Ht]
    const auto total = std::uint64_t(header.examples());
    while (next < header.examples()) {
        // Consecutive examples packed next-fit into rows, so the batch's targets are theirs in order.
        MicroBatchPlan rows;
        std::int64_t used = 0, end = next;
        while (end < header.examples()) {
            const auto length = std::int64_t(examples[std::size_t(end)].ids.size());
            if (rows.empty() || used + length > options.maxSeqLen) {
                if (std::int64_t(rows.size()) == options.rowsPerBatch)
                    break;
                rows.emplace_back();
                used = 0;
            }
            rows.back().push_back(std::size_t(end++));
            used += length;
        }
        const auto hidden = targetHidden(teacher, makeBatch(examples, rows, options.padId)).first;  // [N, Ht]
        for (std::int64_t begin = 0; begin < hidden.size(0); begin += options.chunkTokens) {
            const auto n = std::min(options.chunkTokens, hidden.size(0) - begin);
            const auto logProbs = torch::log_softmax(hidden.narrow(0, begin, n).to(torch::kFloat).matmul(weight.t()), -1);
            const auto [values, ids] = logProbs.topk(header.k, -1);  // [n, k] each
            writeTeacherRecords(out, ids, values);
        }
        out.flush();
        if (!out)
            throw Error(ErrorCode::Io, "cannot write " + partial.string());
        next = end;
        if (progress && !progress(std::uint64_t(next), total) && next < header.examples())
            return false;
    }
    out.close();
    fs::rename(partial, file);
    return true;
}

TeacherCache::TeacherCache(const fs::path& file) : m_file(file), m_in(file, std::ios::binary)
{
    if (!m_in)
        throw Error(ErrorCode::NotFound, "cannot read the teacher cache " + file.string());
    auto header = readHeader(m_in);
    if (!header
        || std::int64_t(fs::file_size(file)) != header->headerBytes() + header->offsets.back() * header->recordBytes())
        throw Error(ErrorCode::InvalidArgument, file.string() + " is not a complete teacher top-k cache",
                    "delete it: the job computes it again");
    m_header = std::move(*header);
}

std::pair<at::Tensor, at::Tensor> TeacherCache::read(std::int64_t example)
{
    const auto begin = m_header.offsets[std::size_t(example)];
    const auto n = m_header.offsets[std::size_t(example + 1)] - begin;
    auto records = torch::empty({n, 2 * m_header.k}, torch::kInt);  // [n, 2k]
    m_in.seekg(std::streamoff(m_header.headerBytes() + begin * m_header.recordBytes()));
    if (!m_in.read(reinterpret_cast<char*>(records.data_ptr<std::int32_t>()), std::streamsize(records.numel() * 4)))
        throw Error(ErrorCode::Io, "cannot read the teacher cache " + m_file.string());
    return {records.narrow(1, 0, m_header.k).to(torch::kLong),
            records.narrow(1, m_header.k, m_header.k).contiguous().view(torch::kFloat)};
}

void TeacherCache::attach(TrainBatch& batch, const MicroBatchPlan& rows)
{
    std::vector<at::Tensor> ids, logProbs;
    for (const auto& row : rows)
        for (const auto index : row) {
            auto [i, l] = read(std::int64_t(index));
            ids.push_back(std::move(i));
            logProbs.push_back(std::move(l));
        }
    batch.teacherTopIds = torch::cat(ids);
    batch.teacherTopLogProbs = torch::cat(logProbs);
}

}  // namespace distill::train
