#include "core/run/curation.h"

#include "core/store/benchmarks.h"
#include "core/store/rulings.h"
#include "core/store/workspace.h"
#include "core/text/contamination_index.h"
#include "core/util/error.h"
#include "core/util/parallel_for.h"
#include "core/verify/grader.h"

#include <algorithm>
#include <atomic>
#include <filesystem>
#include <map>
#include <optional>
#include <set>

namespace distill::run {

namespace {

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
    std::optional<std::string> summarized = {};  // the answer in the cold-start format, to be written
};

store::Verdict toStoreVerdict(verify::Verdict v)
{
    if (v == verify::Verdict::Equal)
        return store::Verdict::Correct;
    if (v == verify::Verdict::NotEqual)
        return store::Verdict::Incorrect;
    return store::Verdict::Unknown;
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

// Everything one pass decides, before it is written.
struct Pass {
    std::vector<ProblemWork> problems;
    std::vector<SampleWork> samples;
    std::vector<std::pair<ProblemWork*, const store::Sample*>> referenceSamples;
    std::vector<store::Verdict> referenceVerdicts;
    std::vector<text::SampleDecision> decisions;
    std::map<std::int64_t, text::ProblemDecision> selection;  // by problem id
};

// 1. Verdicts (the grader is thread-safe) and readability scores. False when `progress` stops it.
bool gradeAndScore(Pass& pass, const text::CurationRecipe& recipe, std::size_t threads, const ProgressFn& progress)
{
    const std::size_t total = pass.samples.size() + pass.referenceSamples.size();
    pass.referenceVerdicts.assign(pass.referenceSamples.size(), store::Verdict::Unknown);
    std::atomic<std::size_t> done{0};
    std::atomic<bool> stopped{false};
    util::parallelFor(total, threads, [&](std::size_t i) {
        if (stopped.load())
            return;
        const bool isReference = i >= pass.samples.size();
        const auto& [problemWork, sample] =
            isReference ? pass.referenceSamples[i - pass.samples.size()]
                        : std::pair<ProblemWork*, const store::Sample*>{pass.samples[i].problem, pass.samples[i].sample};
        store::Verdict verdict = sample->verdict;
        if (const auto ruling = store::rulingOf(*sample))
            verdict = ruling->expert;  // an expert's ruling on a grader/judge disagreement stands
        else if (recipe.verify && !problemWork->problem.referenceAnswer.empty())
            verdict = toStoreVerdict(verify::grade(sample->answer, problemWork->problem.referenceAnswer).verdict);
        if (isReference) {
            pass.referenceVerdicts[i - pass.samples.size()] = verdict;
        } else {
            SampleWork& w = pass.samples[i];
            w.verdict = verdict;
            const std::optional<std::int64_t> tokens =
                sample->thinkingTokens > 0 ? std::optional(sample->thinkingTokens) : std::nullopt;
            if (recipe.coldStartSummary)
                w.summarized = text::withSummary(sample->thinking, sample->answer);
            const std::string& answer = w.summarized ? *w.summarized : sample->answer;
            // the store keeps thinking and answer split: an empty answer is what a cut-off response leaves
            w.scores = text::scoreSample({sample->thinking, answer, true, tokens}, recipe.filters);
            w.filterReasons = text::rejectReasons(w.scores, recipe.filters);
        }
        const std::size_t n = done.fetch_add(1) + 1;
        if (progress && (n % 256 == 0 || n == total) && !progress(n, total))
            stopped.store(true);
    });
    return !stopped.load();
}

// 2. Duplicates among problems and samples, and benchmark overlap.
void findDuplicatesAndOverlap(Pass& pass, const text::CurationRecipe& recipe, std::size_t threads)
{
    text::DedupConfig dedup = recipe.dedup;
    if (dedup.minhash.bands == 0)
        dedup.minhash.bands = text::optimalLshShape(dedup.minhash.threshold, dedup.minhash.numPerms).bands;
    markProblemDuplicates(pass.problems, dedup);
    markSampleDuplicates(pass.samples, dedup);
    if (!recipe.decontamination.enabled)
        return;
    const text::ContaminationIndex index(benchmarkProblems(benchmarksDir(recipe.decontamination)),
                                         recipe.decontamination.ngram);
    util::parallelFor(pass.problems.size(), threads, [&](std::size_t i) {
        if (auto hits = index.hits(pass.problems[i].problem.question); !hits.empty())
            pass.problems[i].contamination = hits.front();
    });
}

// 3. Rejection sampling: the k best passing samples of each problem.
void rejectSamples(Pass& pass, const text::CurationRecipe& recipe)
{
    std::vector<text::SampleCandidate> candidates;
    for (const auto& w : pass.samples) {
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
    pass.decisions = text::applyRejectionSampling(candidates, recipe.rejection);
}

// 4. Selection of problems by difficulty (the reference model's verdicts, the samples' pass rate)
// and domain.
void selectProblems(Pass& pass, const text::CurationRecipe& recipe)
{
    std::map<std::int64_t, text::ProblemCandidate> byProblem;
    for (const auto& p : pass.problems) {
        text::ProblemCandidate& c = byProblem[p.problem.id];
        c.id = p.problem.id;
        c.domain = p.problem.domain.empty() ? p.problem.source : p.problem.domain;
    }
    for (std::size_t i = 0; i < pass.referenceSamples.size(); ++i) {
        auto& c = byProblem[pass.referenceSamples[i].first->problem.id];
        if (pass.referenceVerdicts[i] != store::Verdict::Unknown)
            c.referenceCorrect = c.referenceCorrect.value_or(false) || pass.referenceVerdicts[i] == store::Verdict::Correct;
    }
    for (std::size_t i = 0; i < pass.samples.size(); ++i) {
        auto& c = byProblem[pass.decisions[i].problemId];
        c.gradedSamples += pass.samples[i].verdict != store::Verdict::Unknown;
        c.correctSamples += pass.samples[i].verdict == store::Verdict::Correct;
        if (pass.decisions[i].kept) {
            c.hasKeptSample = true;
            c.traceLength = std::max(c.traceLength, pass.samples[i].scores.thinkingChars);
        }
    }
    std::vector<text::ProblemCandidate> candidates;
    for (const auto& [id, c] : byProblem)
        candidates.push_back(c);
    for (auto& d : text::selectProblems(candidates, recipe.selection))
        pass.selection[d.id] = std::move(d);
}

// 5. Counts of the summary and, unless a dry run, the write-back in one transaction.
void writeBack(const Pass& pass, store::Workspace& ws, bool dryRun, CurationSummary& summary)
{
    std::vector<std::int64_t> acceptedIds, rejectedIds;
    std::optional<store::Workspace::Transaction> tx;
    if (!dryRun)
        tx.emplace(ws);
    for (std::size_t i = 0; i < pass.samples.size(); ++i) {
        const SampleWork& w = pass.samples[i];
        const text::SampleDecision& d = pass.decisions[i];
        const text::ProblemDecision& pd = pass.selection.at(d.problemId);
        const bool keep = d.kept && pd.selected;
        const std::string reason = keep ? std::string() : d.kept ? pd.reason : d.rejectReason;
        ++summary.samples.verdicts[std::string(store::verdictName(w.verdict))];
        summary.samples.summarized += w.summarized ? 1 : 0;
        if (keep) {
            ++summary.samples.kept;
            acceptedIds.push_back(w.sample->id);
        } else {
            ++summary.samples.rejected[reason];
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
        if (w.summarized)  // an edit: the teacher's answer stays in the history
            ws.updateSampleText(w.sample->id, store::SampleField::Answer, *w.summarized);
    }
    if (!dryRun) {
        for (std::size_t i = 0; i < pass.referenceSamples.size(); ++i)
            ws.setVerdict(pass.referenceSamples[i].second->id, pass.referenceVerdicts[i],
                          pass.referenceSamples[i].second->rejectReason);
        ws.setStatus(acceptedIds, store::SampleStatus::Accepted);
        ws.setStatus(rejectedIds, store::SampleStatus::Rejected);
        tx->commit();
    }
}

void countProblems(const Pass& pass, CurationSummary& summary)
{
    for (const auto& p : pass.problems) {
        const auto& pd = pass.selection.at(p.problem.id);
        summary.problems.selected += pd.selected;
        if (!pd.selected)
            ++summary.problems.notSelected[pd.reason];
        summary.problems.duplicates += p.duplicateOf.has_value();
        if (p.contamination) {
            ++summary.problems.contaminated;
            summary.problems.contamination.push_back({p.problem.id, p.contamination->benchmark, p.contamination->id});
        }
    }
}

}  // namespace

nlohmann::json toJson(const CurationSummary& s)
{
    nlohmann::json contamination = nlohmann::json::array();
    for (const auto& c : s.problems.contamination)
        contamination.push_back({{"problem", c.problem}, {"benchmark", c.benchmark}, {"id", c.id}});
    nlohmann::json out = {
        {"dry_run", s.dryRun},
        {"problems",
         {{"total", s.problems.total},
          {"selected", s.problems.selected},
          {"contaminated", s.problems.contaminated},
          {"duplicates", s.problems.duplicates},
          {"not_selected", s.problems.notSelected},
          {"contamination", contamination}}},
        {"samples",
         {{"total", s.samples.total},
          {"kept", s.samples.kept},
          {"rejected", s.samples.rejected},
          {"verdicts", s.samples.verdicts},
          {"summarized", s.samples.summarized},
          {"reference_model", s.samples.referenceModel}}},
        {"recipe", text::toJson(s.recipe)},
    };
    if (s.stopped)
        out["stopped"] = true;
    return out;
}

CurationSummary curate(store::Workspace& ws, const text::CurationRecipe& recipe, const CurationOptions& options,
                       const ProgressFn& progress)
{
    const std::size_t threads = options.threads > 0 ? options.threads : util::hardwareThreads();
    CurationSummary summary;
    summary.dryRun = options.dryRun;
    summary.recipe = recipe;
    Pass pass;
    pass.problems = loadWork(ws, recipe);
    for (auto& p : pass.problems) {
        for (const auto& s : p.samples)
            pass.samples.push_back({&p, &s, s.verdict, {}, {}, std::nullopt});
        for (const auto& s : p.reference)
            pass.referenceSamples.push_back({&p, &s});
    }
    summary.problems.total = std::int64_t(pass.problems.size());
    summary.samples.total = std::int64_t(pass.samples.size());
    summary.samples.referenceModel = std::int64_t(pass.referenceSamples.size());
    if (!gradeAndScore(pass, recipe, threads, progress)) {
        summary.stopped = true;
        return summary;
    }
    findDuplicatesAndOverlap(pass, recipe, threads);
    rejectSamples(pass, recipe);
    selectProblems(pass, recipe);
    writeBack(pass, ws, options.dryRun, summary);
    countProblems(pass, summary);
    return summary;
}

}  // namespace distill::run
