// TrainPage: a `kind: sft` run from its job form (every key of the kind: student model, device and
// dtype, datasets with weights, LoRA, a distillation teacher, gradient checkpointing, benchmark
// evaluation of each checkpoint, ...), started, stopped and resumed through RunController (one GPU or
// several, data parallel), and monitored with live, overlaid curves (RunMonitor).
#pragma once

#include "widgets/views/run_page.h"

namespace distill::widgets {

class TrainPage : public RunPage {
    Q_OBJECT
public:
    explicit TrainPage(QWidget* parent = nullptr);

    QString title() const override;
    void reload() override;
    void setSourceCounts(const QVariantList& sources) override;

    // The toy student's config folder (resources/toy), found next to the bundled benchmarks.
    static QString toyResourcesDir();
};

}  // namespace distill::widgets
