#include "core/text/contamination_index.h"

#include "core/text/word_ngrams.h"
#include "core/util/error.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <fstream>
#include <map>

namespace distill::text {

std::vector<BenchmarkProblem> loadBenchmarkProblems(const std::filesystem::path& dir)
{
    std::error_code ec;
    if (!std::filesystem::is_directory(dir, ec))
        throw Error(ErrorCode::NotFound, "benchmark folder not found: " + dir.string());
    std::vector<std::filesystem::path> files;
    for (const auto& entry : std::filesystem::directory_iterator(dir))
        if (entry.is_regular_file() && entry.path().extension() == ".jsonl")
            files.push_back(entry.path());
    std::sort(files.begin(), files.end());
    std::vector<BenchmarkProblem> out;
    for (const auto& file : files) {
        std::ifstream in(file);
        if (!in)
            throw Error(ErrorCode::Io, "cannot read " + file.string());
        const std::string benchmark = file.stem().string();
        std::string line;
        for (std::size_t lineNo = 1; std::getline(in, line); ++lineNo) {
            if (line.find_first_not_of(" \t\r") == std::string::npos)
                continue;
            const auto row = nlohmann::json::parse(line, nullptr, false);
            if (!row.is_object() || !row.contains("id") || !row.contains("problem") || !row["problem"].is_string())
                throw Error(ErrorCode::Parse, file.string() + ":" + std::to_string(lineNo)
                                                  + ": expected a JSON object with \"id\" and \"problem\"");
            const auto& id = row["id"];
            out.push_back({benchmark, id.is_string() ? id.get<std::string>() : id.dump(),
                           row["problem"].get<std::string>()});
        }
    }
    return out;
}

ContaminationIndex::ContaminationIndex(const std::vector<BenchmarkProblem>& problems, std::size_t ngram)
    : m_ngram(ngram)
{
    if (ngram == 0)
        throw Error(ErrorCode::InvalidArgument, "decontamination n-gram size must be at least 1");
    m_problems.reserve(problems.size());
    for (std::uint32_t i = 0; i < problems.size(); ++i) {
        m_problems.push_back({problems[i].benchmark, problems[i].id});
        // a problem shorter than n words still gets one hash of all its words
        for (const auto g : ngramHashes(wordHashes(problems[i].problem), ngram)) {
            auto& posting = m_postings[g];
            if (posting.empty() || posting.back() != i)
                posting.push_back(i);
        }
    }
}

bool ContaminationIndex::contaminated(std::string_view text) const
{
    const auto grams = ngramHashes(wordHashes(text), m_ngram);
    return std::any_of(grams.begin(), grams.end(), [&](std::uint64_t g) { return m_postings.count(g) > 0; });
}

std::vector<ContaminationHit> ContaminationIndex::hits(std::string_view text) const
{
    auto grams = ngramHashes(wordHashes(text), m_ngram);
    std::sort(grams.begin(), grams.end());
    grams.erase(std::unique(grams.begin(), grams.end()), grams.end());
    std::map<std::uint32_t, std::size_t> shared;
    for (const auto g : grams)
        if (const auto it = m_postings.find(g); it != m_postings.end())
            for (const auto problem : it->second)
                ++shared[problem];
    std::vector<ContaminationHit> out;
    for (const auto& [problem, count] : shared)
        out.push_back({m_problems[problem].benchmark, m_problems[problem].id, count});
    std::sort(out.begin(), out.end(), [](const ContaminationHit& a, const ContaminationHit& b) {
        return std::tie(b.sharedNgrams, a.benchmark, a.id) < std::tie(a.sharedNgrams, b.benchmark, b.id);
    });
    return out;
}

}  // namespace distill::text
