// `distillery-cli curate --workspace W --recipe recipe.yaml`: grades teacher samples against their
// problems' reference answers, scores readability, finds duplicates and benchmark overlap, keeps the
// k best samples per problem, selects problems s1-style and writes verdicts, scores, reject reasons
// and statuses back to the workspace. Prints a JSON summary.
#include "app/cli/args.h"
#include "app/cli/command.h"
#include "core/run/yaml_json.h"
#include "core/store/benchmarks.h"
#include "core/store/workspace.h"
#include "core/text/contamination_index.h"
#include "core/text/curation_recipe.h"
#include "core/util/error.h"
#include "core/verify/grader.h"

#include <nlohmann/json.hpp>
#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <atomic>
#include <filesystem>
#include <iostream>
#include <map>
#include <optional>
#include <set>
#include <thread>

namespace distill::cli {
namespace {

// Rejects keys the recipe does not have, naming the key and its line; `defaults` is the JSON of
// a default recipe, so the allowed keys come from the same field list as the JSON reader.
void checkRecipeKeys(const YAML::Node& node, const nlohmann::json& defaults, const std::string& where,
                     const std::string& file)
{
    if (!node.IsMap() || !defaults.is_object())
        return;
    for (const auto& item : node) {
        const std::string key = item.first.Scalar();
        const auto it = defaults.find(key);
        if (it == defaults.end())
            throw Error(ErrorCode::Parse,
                        file + ":" + std::to_string(item.first.Mark().line + 1) + ": unknown key '" + key + "'"
                            + (where.empty() ? "" : " in " + where),
                        "see docs/curation.md for the recipe keys");
        checkRecipeKeys(item.second, *it, where.empty() ? key : where + "." + key, file);
    }
}

text::CurationRecipe loadRecipe(const std::string& path)
{
    YAML::Node root;
    try {
        root = YAML::LoadFile(path);
    } catch (const YAML::BadFile&) {
        throw Error(ErrorCode::NotFound, "cannot read recipe " + path);
    } catch (const YAML::Exception& e) {
        throw Error(ErrorCode::Parse, path + ":" + std::to_string(e.mark.line + 1) + ": " + e.msg);
    }
    if (root.IsNull())
        return {};
    if (!root.IsMap())
        throw Error(ErrorCode::Parse, path + ": a recipe is a YAML mapping");
    checkRecipeKeys(root, text::toJson(text::CurationRecipe{}), "", path);
    try {
        return text::curationRecipeFromJson(run::yamlToJson(root));
    } catch (const Error& e) {
        throw Error(ErrorCode::Parse, path + ": " + e.detail(), e.hint());
    }
}

struct ProblemWork {
    store::Problem problem;
    std::vector<store::Sample> samples;    // teacher samples being curated
    std::vector<store::Sample> reference;  // samples of the reference model (difficulty only)
    std::optional<text::ContaminationHit> contamination;
    std::optional<std::int64_t> duplicateOf;  // an earlier problem with (nearly) the same text
};

struct SampleWork {
    ProblemWork* problem = nullptr;
    const store::Sample* sample = nullptr;
    store::Verdict verdict = store::Verdict::Unknown;
    text::FilterScores scores;
    std::vector<std::string> filterReasons;
    std::optional<std::int64_t> duplicateOf;
};

store::Verdict toStoreVerdict(verify::Verdict v)
{
    if (v == verify::Verdict::Equal)
        return store::Verdict::Correct;
    if (v == verify::Verdict::NotEqual)
        return store::Verdict::Incorrect;
    return store::Verdict::Unknown;
}

// Calls fn(i) for i in [0, n) on `threads` threads.
template <class Fn>
void parallelFor(std::size_t n, std::size_t threads, Fn fn)
{
    std::atomic<std::size_t> next{0};
    auto worker = [&] {
        for (std::size_t i; (i = next.fetch_add(1)) < n;)
            fn(i);
    };
    std::vector<std::thread> pool;
    for (std::size_t t = 1; t < std::min(threads, std::max<std::size_t>(n, 1)); ++t)
        pool.emplace_back(worker);
    worker();
    for (auto& t : pool)
        t.join();
}

std::vector<std::string> curatedSources(const store::Workspace& ws, const text::CurationRecipe& recipe)
{
    if (!recipe.sources.empty())
        return recipe.sources;
    std::set<std::string> benchmarks;
    for (const auto& b : store::bundledBenchmarks())
        benchmarks.insert(b.source);
    std::vector<std::string> out;
    for (const auto& s : ws.sources())
        if (!benchmarks.count(s.source))
            out.push_back(s.source);
    return out;
}

std::vector<ProblemWork> loadWork(const store::Workspace& ws, const text::CurationRecipe& recipe)
{
    std::vector<ProblemWork> problems;
    std::map<std::int64_t, std::size_t> index;
    constexpr std::int64_t kPage = 1000;
    for (const auto& source : curatedSources(ws, recipe)) {
        for (std::int64_t offset = 0;; offset += kPage) {
            auto page = ws.listProblems(source, offset, kPage);
            for (auto& p : page) {
                index[p.id] = problems.size();
                problems.push_back({std::move(p), {}, {}, std::nullopt, std::nullopt});
            }
            if (std::int64_t(page.size()) < kPage)
                break;
        }
        store::SampleQuery query;
        query.source = source;
        for (const std::int64_t id : ws.sampleIds(query)) {
            auto sample = ws.sample(id);
            if (!sample || sample->origin == store::Origin::Reference || !index.count(sample->problemId))
                continue;  // a benchmark's reference solution is not a teacher sample
            ProblemWork& p = problems[index.at(sample->problemId)];
            if (!recipe.referenceModel.empty() && sample->originDetail == recipe.referenceModel)
                p.reference.push_back(std::move(*sample));
            else
                p.samples.push_back(std::move(*sample));
        }
    }
    return problems;
}

std::string_view sampleText(const store::Sample& s, std::string& buffer)
{
    buffer = s.thinking;
    buffer += "\n\n";
    buffer += s.answer;
    return buffer;
}

void markProblemDuplicates(std::vector<ProblemWork>& problems, const text::DedupConfig& dedup)
{
    std::vector<std::string_view> questions;
    for (const auto& p : problems)
        questions.push_back(p.problem.question);
    const auto mark = [&](const text::DuplicateResult& r) {
        for (std::size_t i = 0; i < problems.size(); ++i)
            if (r.representative[i] != i && !problems[i].duplicateOf)
                problems[i].duplicateOf = problems[r.representative[i]].problem.id;
    };
    if (dedup.exact)
        mark(text::findExactDuplicates(questions));
    if (dedup.nearProblems)
        mark(text::findNearDuplicates(questions, dedup.minhash));
}

void markSampleDuplicates(std::vector<SampleWork>& samples, const text::DedupConfig& dedup)
{
    std::vector<std::string> texts(samples.size());
    std::vector<std::string_view> docs;
    for (std::size_t i = 0; i < samples.size(); ++i)
        docs.push_back(sampleText(*samples[i].sample, texts[i]));
    const auto mark = [&](const text::DuplicateResult& r) {
        for (std::size_t i = 0; i < samples.size(); ++i)
            if (r.representative[i] != i && !samples[i].duplicateOf)
                samples[i].duplicateOf = samples[r.representative[i]].sample->id;
    };
    if (dedup.exact)
        mark(text::findExactDuplicates(docs));
    if (dedup.nearSamples)
        mark(text::findNearDuplicates(docs, dedup.minhash));
}

std::string benchmarksDir(const text::DecontaminationConfig& config)
{
    const std::string dir = config.benchmarksDir.empty() ? store::bundledBenchmarksDir() : config.benchmarksDir;
    if (dir.empty())
        throw Error(ErrorCode::NotFound, "no bundled benchmarks folder found for decontamination",
                    "set decontamination.benchmarks_dir in the recipe, or decontamination.enabled: false");
    return dir;
}

// Benchmark problems named by their workspace source ("gsm8k", not the file name "gsm8k_test").
std::vector<text::BenchmarkProblem> benchmarkProblems(const std::string& dir)
{
    auto problems = text::loadBenchmarkProblems(dir);
    for (auto& p : problems)
        for (const auto& b : store::bundledBenchmarks())
            if (std::filesystem::path(b.file).stem().string() == p.benchmark)
                p.benchmark = b.source;
    return problems;
}

int runCurate(const std::vector<std::string>& argv)
{
    const Args args(argv, {"workspace", "recipe", "threads"}, {"dry-run"});
    if (!args.positional().empty())
        throw Error(ErrorCode::InvalidArgument, "curate takes no positional arguments");
    const text::CurationRecipe recipe = args.value("recipe") ? loadRecipe(*args.value("recipe")) : text::CurationRecipe{};
    const long long threads = args.intOr("threads", std::max(1u, std::thread::hardware_concurrency()));
    if (threads < 1 || threads > 256)
        throw Error(ErrorCode::InvalidArgument, "--threads must be between 1 and 256");
    const bool dryRun = args.flag("dry-run");
    auto ws = store::Workspace::open(args.required("workspace"),
                                     dryRun ? store::OpenMode::ReadOnly : store::OpenMode::ReadWrite);

    std::vector<ProblemWork> problems = loadWork(ws, recipe);
    std::vector<SampleWork> samples;
    std::vector<std::pair<ProblemWork*, const store::Sample*>> referenceSamples;
    for (auto& p : problems) {
        for (const auto& s : p.samples)
            samples.push_back({&p, &s, s.verdict, {}, {}, std::nullopt});
        for (const auto& s : p.reference)
            referenceSamples.push_back({&p, &s});
    }

    // 1. verdicts (the grader is thread-safe) and readability scores
    std::vector<store::Verdict> referenceVerdicts(referenceSamples.size());
    parallelFor(samples.size() + referenceSamples.size(), std::size_t(threads), [&](std::size_t i) {
        const bool isReference = i >= samples.size();
        const store::Sample& s = isReference ? *referenceSamples[i - samples.size()].second : *samples[i].sample;
        const store::Problem& problem = isReference ? referenceSamples[i - samples.size()].first->problem
                                                    : samples[i].problem->problem;
        store::Verdict verdict = s.verdict;
        if (recipe.verify && !problem.referenceAnswer.empty())
            verdict = toStoreVerdict(verify::grade(s.answer, problem.referenceAnswer).verdict);
        if (isReference) {
            referenceVerdicts[i - samples.size()] = verdict;
            return;
        }
        SampleWork& w = samples[i];
        w.verdict = verdict;
        const std::optional<std::int64_t> tokens = s.thinkingTokens > 0 ? std::optional(s.thinkingTokens) : std::nullopt;
        // the store keeps thinking and answer split: an empty answer is what a cut-off response leaves
        w.scores = text::scoreSample({s.thinking, s.answer, true, tokens}, recipe.filters);
        w.filterReasons = text::rejectReasons(w.scores, recipe.filters);
    });

    // 2. duplicates and benchmark overlap
    text::DedupConfig dedup = recipe.dedup;
    if (dedup.minhash.bands == 0)
        dedup.minhash.bands = text::optimalLshShape(dedup.minhash.threshold, dedup.minhash.numPerms).bands;
    markProblemDuplicates(problems, dedup);
    markSampleDuplicates(samples, dedup);
    if (recipe.decontamination.enabled) {
        const text::ContaminationIndex index(benchmarkProblems(benchmarksDir(recipe.decontamination)),
                                             recipe.decontamination.ngram);
        parallelFor(problems.size(), std::size_t(threads), [&](std::size_t i) {
            if (auto hits = index.hits(problems[i].problem.question); !hits.empty())
                problems[i].contamination = hits.front();
        });
    }

    // 3. rejection sampling
    std::vector<text::SampleCandidate> candidates;
    for (const auto& w : samples) {
        text::SampleCandidate c;
        c.id = w.sample->id;
        c.problemId = w.problem->problem.id;
        c.correct = w.verdict == store::Verdict::Correct;
        c.filterReasons = w.filterReasons;
        c.duplicate = w.duplicateOf.has_value() || w.problem->duplicateOf.has_value();
        c.contaminated = w.problem->contamination.has_value();
        c.length = w.scores.thinkingChars;
        candidates.push_back(std::move(c));
    }
    const auto decisions = text::applyRejectionSampling(candidates, recipe.rejection);

    // 4. selection
    std::map<std::int64_t, text::ProblemCandidate> byProblem;
    for (const auto& p : problems) {
        text::ProblemCandidate& c = byProblem[p.problem.id];
        c.id = p.problem.id;
        c.domain = p.problem.domain.empty() ? p.problem.source : p.problem.domain;
    }
    for (std::size_t i = 0; i < referenceSamples.size(); ++i) {
        auto& c = byProblem[referenceSamples[i].first->problem.id];
        if (referenceVerdicts[i] != store::Verdict::Unknown)
            c.referenceCorrect = c.referenceCorrect.value_or(false) || referenceVerdicts[i] == store::Verdict::Correct;
    }
    for (std::size_t i = 0; i < samples.size(); ++i) {
        auto& c = byProblem[decisions[i].problemId];
        c.gradedSamples += samples[i].verdict != store::Verdict::Unknown;
        c.correctSamples += samples[i].verdict == store::Verdict::Correct;
        if (decisions[i].kept) {
            c.hasKeptSample = true;
            c.traceLength = std::max(c.traceLength, samples[i].scores.thinkingChars);
        }
    }
    std::vector<text::ProblemCandidate> problemCandidates;
    for (const auto& [id, c] : byProblem)
        problemCandidates.push_back(c);
    const auto selection = text::selectProblems(problemCandidates, recipe.selection);
    std::map<std::int64_t, const text::ProblemDecision*> problemDecision;
    for (const auto& d : selection)
        problemDecision[d.id] = &d;

    // 5. write back and summarise
    std::map<std::string, std::int64_t> rejectCounts, verdictCounts, unselectedCounts;
    std::int64_t accepted = 0;
    std::vector<std::int64_t> acceptedIds, rejectedIds;
    std::optional<store::Workspace::Transaction> tx;
    if (!dryRun)
        tx.emplace(ws);
    for (std::size_t i = 0; i < samples.size(); ++i) {
        const SampleWork& w = samples[i];
        const text::SampleDecision& d = decisions[i];
        const text::ProblemDecision& pd = *problemDecision.at(d.problemId);
        const bool keep = d.kept && pd.selected;
        const std::string reason = keep ? std::string() : d.kept ? pd.reason : d.rejectReason;
        ++verdictCounts[std::string(store::verdictName(w.verdict))];
        if (keep) {
            ++accepted;
            acceptedIds.push_back(w.sample->id);
        } else {
            ++rejectCounts[reason];
            rejectedIds.push_back(w.sample->id);
        }
        if (dryRun)
            continue;
        auto flags = nlohmann::json::parse(w.sample->flagsJson, nullptr, false);
        if (!flags.is_object())
            flags = nlohmann::json::object();
        flags["filters"] = text::toJson(w.scores);
        nlohmann::json curation = {{"filter_reasons", w.filterReasons}};
        if (w.duplicateOf)
            curation["duplicate_of_sample"] = *w.duplicateOf;
        if (w.problem->duplicateOf)
            curation["duplicate_of_problem"] = *w.problem->duplicateOf;
        if (const auto& hit = w.problem->contamination)
            curation["contamination"] = {{"benchmark", hit->benchmark}, {"id", hit->id}, {"shared_ngrams", hit->sharedNgrams}};
        flags["curation"] = std::move(curation);
        ws.setVerdict(w.sample->id, w.verdict, reason);
        ws.setFlags(w.sample->id, flags.dump());
    }
    if (!dryRun) {
        for (std::size_t i = 0; i < referenceSamples.size(); ++i)
            ws.setVerdict(referenceSamples[i].second->id, referenceVerdicts[i], referenceSamples[i].second->rejectReason);
        ws.setStatus(acceptedIds, store::SampleStatus::Accepted);
        ws.setStatus(rejectedIds, store::SampleStatus::Rejected);
        tx->commit();
    }

    std::int64_t selected = 0, contaminated = 0, duplicateProblems = 0;
    nlohmann::json contaminationList = nlohmann::json::array();
    for (const auto& p : problems) {
        const auto& pd = *problemDecision.at(p.problem.id);
        selected += pd.selected;
        if (!pd.selected)
            ++unselectedCounts[pd.reason];
        duplicateProblems += p.duplicateOf.has_value();
        if (p.contamination) {
            ++contaminated;
            contaminationList.push_back({{"problem", p.problem.id},
                                         {"benchmark", p.contamination->benchmark},
                                         {"id", p.contamination->id}});
        }
    }
    const nlohmann::json summary = {
        {"dry_run", dryRun},
        {"problems",
         {{"total", problems.size()},
          {"selected", selected},
          {"contaminated", contaminated},
          {"duplicates", duplicateProblems},
          {"not_selected", unselectedCounts},
          {"contamination", contaminationList}}},
        {"samples",
         {{"total", samples.size()},
          {"kept", accepted},
          {"rejected", rejectCounts},
          {"verdicts", verdictCounts},
          {"reference_model", referenceSamples.size()}}},
        {"recipe", text::toJson(recipe)},
    };
    std::cout << summary.dump() << std::endl;
    return 0;
}

const CommandRegistrar registrar({
    "curate",
    "verify, filter, dedup, decontaminate and select teacher samples of a workspace",
    "Usage: distillery-cli curate --workspace W [--recipe recipe.yaml] [--threads N] [--dry-run]\n"
    "  Applies the recipe (docs/curation.md; every key optional, unknown keys are an error) to the\n"
    "  teacher samples of the recipe's sources (default: every source but the bundled benchmarks):\n"
    "  grades answers against the problems' reference answers, scores readability, drops duplicates\n"
    "  and problems that overlap a benchmark, keeps the k best samples per problem and selects\n"
    "  problems by difficulty and domain. Writes verdicts, filter scores (flags), reject reasons and\n"
    "  statuses (accepted/rejected) unless --dry-run. Prints one JSON summary line.",
    runCurate,
});

}  // namespace
}  // namespace distill::cli
