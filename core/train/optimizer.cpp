#include "core/train/optimizer.h"

#include <torch/torch.h>

#include <limits>

namespace distill::train {

Optimizer::Optimizer(const std::vector<at::Tensor>& parameters, const OptimizerOptions& options) : m_options(options)
{
    std::vector<at::Tensor> decay, noDecay;
    for (const auto& p : parameters) {
        if (!p.requires_grad())
            continue;
        (p.dim() >= 2 ? decay : noDecay).push_back(p);
        m_parameters.push_back(p);
    }
    auto groupOptions = [&](double weightDecay) {
        auto o = std::make_unique<torch::optim::AdamWOptions>(m_options.schedule.peakLr);
        o->betas({m_options.beta1, m_options.beta2}).eps(m_options.eps).weight_decay(weightDecay);
        return o;
    };
    std::vector<torch::optim::OptimizerParamGroup> groups;
    groups.emplace_back(decay, groupOptions(m_options.weightDecay));
    groups.emplace_back(noDecay, groupOptions(0.0));
    m_adamw = std::make_unique<torch::optim::AdamW>(groups,
                                                    torch::optim::AdamWOptions(m_options.schedule.peakLr).weight_decay(0.0));
}

Optimizer::~Optimizer() = default;

double Optimizer::setStep(std::int64_t step)
{
    const double lr = m_options.schedule.at(step);
    for (auto& group : m_adamw->param_groups())
        static_cast<torch::optim::AdamWOptions&>(group.options()).lr(lr);
    return lr;
}

double Optimizer::clipAndStep()
{
    const double maxNorm = m_options.maxGradNorm > 0 ? m_options.maxGradNorm : std::numeric_limits<double>::infinity();
    const double norm = torch::nn::utils::clip_grad_norm_(m_parameters, maxNorm);
    m_adamw->step();
    m_adamw->zero_grad();
    return norm;
}

void Optimizer::save(const std::filesystem::path& file) const
{
    torch::serialize::OutputArchive archive;
    m_adamw->save(archive);
    archive.save_to(file.string());
}

void Optimizer::load(const std::filesystem::path& file, c10::Device device)
{
    torch::serialize::InputArchive archive;
    archive.load_from(file.string(), device);
    m_adamw->load(archive);
}

}  // namespace distill::train
