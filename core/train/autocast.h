// AutocastScope: bf16 autocast on CUDA for the scope's lifetime (a no-op when off), with the autocast
// API of libtorch 1.13 and of 2.4 and later. Parameters and optimizer state stay float32.
#pragma once

namespace distill::train {

class AutocastScope {
public:
    explicit AutocastScope(bool on);
    ~AutocastScope();
    AutocastScope(const AutocastScope&) = delete;
    AutocastScope& operator=(const AutocastScope&) = delete;

private:
    bool m_on;
};

}  // namespace distill::train
