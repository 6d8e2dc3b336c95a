#include "core/train/sft_trainer.h"

#include "core/train/autocast.h"
#include "core/train/distributed.h"
#include "core/util/error.h"

#include <torch/torch.h>

#include <chrono>

namespace distill::train {

at::Tensor outputWeight(model::CausalLMImpl& model)
{
    return model.lm_head ? model.lm_head->weight : model.model->embed_tokens->weight;
}


std::pair<at::Tensor, at::Tensor> targetHidden(model::CausalLMImpl& model, const TrainBatch& batch)
{
    const auto device = model.device();
    const auto hidden = model.forwardPacked(batch.inputIds.to(device), batch.positions.to(device),
                                            batch.sequenceIds.to(device));  // [B, T, H]
    const auto targets = batch.targets.to(device).reshape({-1});           // [B*T]
    const auto keep = (targets != -100).nonzero().squeeze(1);              // [N]
    return {hidden.reshape({-1, hidden.size(-1)}).index_select(0, keep), targets.index_select(0, keep)};
}

SftTrainer::SftTrainer(model::CausalLM model, TrainerOptions options)
    : m_model(std::move(model)), m_options(std::move(options)), m_optimizer(m_model->parameters(), m_options)
{
    if (m_options.bf16 && !m_model->device().is_cuda())
        throw Error(ErrorCode::Unsupported, "bf16 training needs a CUDA device", "train in float32 on CPU");
    m_model->setGradientCheckpointing(m_options.gradientCheckpointing);
}

void SftTrainer::setTeacher(model::CausalLM teacher)
{
    checkTeacherVocabulary(teacher->config().vocabSize, m_model->config().vocabSize);
    teacher->eval();
    for (auto& p : teacher->parameters())
        p.set_requires_grad(false);
    m_teacher = std::move(teacher);
}

void SftTrainer::setDataParallel(DataParallel& parallel)
{
    if (parallel.worldSize() == 1)
        return;  // one process steps as without
    parallel.broadcastFromMain(m_model->parameters());
    m_parallel = &parallel;
}

at::Tensor SftTrainer::lossSum(const TrainBatch& batch)
{
    const AutocastScope autocast(m_options.bf16);
    const auto [hidden, targets] = targetHidden(*m_model, batch);
    TokenLossOptions loss = m_options.loss;
    loss.temperature = m_options.temperature.at(m_step);
    if (batch.teacherTopIds.defined())
        return tokenLossSumTopK(hidden, outputWeight(*m_model), targets, loss, batch.teacherTopIds,
                                batch.teacherTopLogProbs);
    if (!m_teacher)
        return tokenLossSum(hidden, outputWeight(*m_model), targets, loss);
    at::Tensor teacherHidden;
    {
        const torch::NoGradGuard noGrad;
        teacherHidden = targetHidden(**m_teacher, batch).first;
    }
    return tokenLossSum(hidden, outputWeight(*m_model), targets, loss, teacherHidden,
                        outputWeight(**m_teacher).detach());
}

StepStats SftTrainer::step(const std::vector<TrainBatch>& microBatches)
{
    const auto start = std::chrono::steady_clock::now();
    StepStats stats;
    stats.step = m_step;
    stats.lr = m_optimizer.setStep(m_step);
    stats.temperature = m_options.temperature.at(m_step);
    for (const auto& batch : microBatches) {
        stats.targetTokens += batch.targetTokens;
        stats.tokens += batch.tokens;
    }
    if (m_parallel) {  // every rank divides by the target tokens of the whole step
        const auto totals = m_parallel->sum({double(stats.targetTokens), double(stats.tokens)});
        stats.targetTokens = std::int64_t(totals[0]);
        stats.tokens = std::int64_t(totals[1]);
    }
    const double normaliser = double(std::max<std::int64_t>(1, stats.targetTokens));

    // Micro-batches: each loss is divided by the whole step's target tokens, so the accumulated
    // gradient is that of the mean over the step.
    m_model->train();
    for (const auto& batch : microBatches) {
        const auto loss = lossSum(batch) / normaliser;
        loss.backward();
        stats.loss += loss.item<double>();
    }
    if (m_parallel) {  // the whole step's gradient and loss on every rank
        std::vector<at::Tensor> gradients;
        for (const auto& p : m_optimizer.parameters()) {
            if (!p.grad().defined())
                p.mutable_grad() = torch::zeros_like(p);  // a rank without micro-batches in this step
            gradients.push_back(p.grad());
        }
        m_parallel->sumInPlace(gradients);
        stats.loss = m_parallel->sum({stats.loss}).front();
    }
    stats.gradNorm = m_optimizer.clipAndStep();  // the norm before clipping is reported
    ++m_step;
    stats.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    return stats;
}

double SftTrainer::evalLoss(const std::vector<TrainBatch>& batches)
{
    const torch::NoGradGuard noGrad;
    m_model->eval();
    double total = 0.0;
    std::int64_t tokens = 0;
    TokenLossOptions plain = m_options.loss;
    plain.alpha = 1.0;
    for (const auto& batch : batches) {
        const AutocastScope autocast(m_options.bf16);
        const auto [hidden, targets] = targetHidden(*m_model, batch);
        total += tokenLossSum(hidden, outputWeight(*m_model), targets, plain).item<double>();
        tokens += batch.targetTokens;
    }
    m_model->train();
    return tokens ? total / double(tokens) : 0.0;
}

void SftTrainer::restore(std::int64_t stepsDone, const std::filesystem::path& optimizerFile)
{
    m_optimizer.load(optimizerFile, m_model->device());
    m_step = stepsDone;
}

}  // namespace distill::train
