// Helpers the numeric tests share: the largest element-wise difference of two tensors, and the
// gradients of a leaf tensor or of a module's parameters (collected, cleared).
#pragma once

#include <torch/torch.h>

#include <vector>

namespace distill::test {

// max |a - b|, computed in float32.
inline double maxAbsDiff(const at::Tensor& a, const at::Tensor& b)
{
    return (a.to(torch::kFloat) - b.to(torch::kFloat)).abs().max().item<double>();
}

// Copies of the parameters' gradients, zeros for a parameter without one.
inline std::vector<at::Tensor> gradsOf(torch::nn::Module& module)
{
    std::vector<at::Tensor> grads;
    for (const auto& p : module.parameters())
        grads.push_back(p.grad().defined() ? p.grad().clone() : torch::zeros_like(p));
    return grads;
}

// A copy of a leaf tensor's gradient; the tensor's own gradient is dropped, so that a second
// backward pass starts from nothing.
inline at::Tensor takeGrad(at::Tensor leaf)  // a handle: the gradient dropped is the caller's
{
    auto grad = leaf.grad().clone();
    leaf.mutable_grad() = at::Tensor();
    return grad;
}

// Drops every parameter's gradient.
inline void zeroGrads(torch::nn::Module& module)
{
    for (auto& p : module.parameters())
        p.mutable_grad() = at::Tensor();
}

}  // namespace distill::test
