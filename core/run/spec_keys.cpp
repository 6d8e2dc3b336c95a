#include "core/run/spec_keys.h"

#include "core/text/curation_recipe.h"

namespace distill::run {

std::vector<KeyDoc> placementKeys(const std::string& group)
{
    KeyDoc device = key::text("device", "cpu", "where the model runs: cpu, cuda or cuda:N");
    KeyDoc dtype = key::choice("dtype", "auto", {"auto", "float32", "bf16"},
                               "precision: auto is bf16 on CUDA (bf16 compute over float32 master weights when "
                               "training, bf16 weights for inference) and float32 on the CPU");
    device.group = group;
    dtype.group = group;
    return {device, dtype};
}

namespace {

const std::vector<KeyNote>& filterNotes()
{
    static const std::vector<KeyNote> notes = {
        {"language", "target language of the response (ISO 639-1: en, fr, zh, ru, ...); empty: no language filter"},
        {"max_language_mix", "largest share of letters outside the target language's script", 0.0, 1.0},
        {"min_language_share", "smallest share of words in the target language (R1's language consistency); 0: no check", 0.0, 1.0},
        {"max_paragraph_chars", "longest paragraph (text between blank lines); 0: no limit", 0.0, 1e9, {}, "code points"},
        {"max_paragraph_words", "longest paragraph; 0: no limit", 0.0, 1e9, {}, "words"},
        {"max_code_blocks", "fenced code blocks allowed; negative: any number", -1.0, 1e9},
        {"detect_indented_code", "count indented (4-space) code after a blank line as a code block", {}, {}, {}, {}, true},
        {"repetition_ngram", "word n-gram size of the repetition score", 1.0, 1000.0, {}, "words", true},
        {"max_repeated_ngram_share", "largest share of the thinking's n-grams seen earlier in it", 0.0, 1.0},
        {"max_tail_repeats", "back-to-back repeats of the last sentence allowed at the end; 0: no check", 0.0, 1e9},
        {"reject_truncated", "reject a response without a closing think tag or with nothing after it"},
        {"min_thinking_chars", "shortest thinking; 0: no bound", 0.0, 1e12, {}, "code points"},
        {"max_thinking_chars", "longest thinking; 0: no bound", 0.0, 1e12, {}, "code points"},
        {"min_thinking_tokens", "shortest thinking when its token count is known; 0: no bound", 0.0, 1e12, {}, "tokens", true},
        {"max_thinking_tokens", "longest thinking when its token count is known; 0: no bound", 0.0, 1e12, {}, "tokens", true},
        {"require_summary", "R1's cold-start format: the answer after the thinking summarises it (3 words or more, at most max_summary_share of the thinking)"},
        {"max_summary_share", "require_summary: longest answer, as a share of the thinking's words", 0.0, 1.0},
    };
    return notes;
}

}  // namespace

std::vector<KeyDoc> filterKeys()
{
    return keysFromDefaults(text::toJson(text::FilterConfig{}), filterNotes());
}

std::vector<KeyDoc> curationRecipeKeys()
{
    std::vector<KeyNote> notes = {
        {"sources", "problem sources to curate; empty: every source but the bundled benchmarks"},
        {"verify", "grade each sample's answer against its problem's reference answer"},
        {"reference_model", "origin of a reference model's samples, for difficulty: reference_wrong", {}, {}, {}, {}, true},
        {"cold_start_summary", "R1's cold-start format: an answer of fewer than 3 words gets the reasoning's last paragraph "
                               "above it as a summary (the original stays in the sample's edit history)"},
    };
    for (KeyNote note : filterNotes()) {
        note.path = "filters." + note.path;
        notes.push_back(std::move(note));
    }
    const std::vector<KeyNote> rest = {
        {"dedup.exact", "drop samples whose normalised text equals an earlier one"},
        {"dedup.near_samples", "MinHash near-duplicate samples (thinking + answer)"},
        {"dedup.near_problems", "MinHash near-duplicate problems: every sample of the later copy is a duplicate"},
        {"dedup.minhash.num_perms", "MinHash signature length", 1.0, 4096.0, {}, {}, true},
        {"dedup.minhash.ngram", "word shingle size", 1.0, 100.0, {}, "words", true},
        {"dedup.minhash.threshold", "estimated Jaccard similarity at or above which two texts are duplicates", 0.0, 1.0},
        {"dedup.minhash.bands", "LSH bands; 0: chosen from the threshold", 0.0, 4096.0, {}, {}, true},
        {"dedup.minhash.seed", "seed of the permutations", 0.0, 1.8e19, {}, {}, true},
        {"decontamination.enabled", "drop problems that share a word 8-gram with a benchmark problem"},
        {"decontamination.ngram", "word n-gram size of the overlap test", 1.0, 100.0, {}, "words", true},
        {"decontamination.benchmarks_dir", "folder of benchmark JSONL files; empty: the bundled ones", {}, {}, {}, {}, true},
        {"rejection.keep_per_problem", "correct, readable samples kept per problem; 0: all", 0.0, 1e9},
        {"rejection.strategy", "which passing samples are kept first", {}, {}, {"shortest_correct", "random_correct"}},
        {"rejection.seed", "seed of random_correct", 0.0, 1.8e19, {}, {}, true},
        {"selection.target_size", "problems to select (s1 selected 1,000); 0: all", 0.0, 1e12},
        {"selection.difficulty", "difficulty rule", {}, {}, {"pass_rate_band", "reference_wrong", "none"}},
        {"selection.min_pass_rate", "pass_rate_band: lowest teacher pass rate kept", 0.0, 1.0},
        {"selection.max_pass_rate", "pass_rate_band: highest teacher pass rate kept", 0.0, 1.0},
        {"selection.diversity", "how problems are drawn across domains down to the target size", {}, {},
         {"uniform_domain", "round_robin"}},
        {"selection.seed", "seed of the diversity draw", 0.0, 1.8e19, {}, {}, true},
    };
    notes.insert(notes.end(), rest.begin(), rest.end());
    auto keys = keysFromDefaults(text::toJson(text::CurationRecipe{}), notes);
    for (KeyDoc& k : keys) {
        if (k.name == "filters" || k.name == "cold_start_summary")
            k.group = "Filters";
        else if (k.name == "dedup" || k.name == "decontamination")
            k.group = "Dedup and decontamination";
        else if (k.name == "rejection" || k.name == "selection")
            k.group = "Rejection and selection";
        else
            k.group = "Samples";
    }
    return keys;
}

}  // namespace distill::run
