#pragma once

#include "llmf/config/config.h"

#include <QWidget>

class QLabel;
class QTableWidget;

namespace llmf {
struct ParameterBreakdown;
struct MemoryEstimate;
} // namespace llmf

namespace llmf::views {

class ParameterChart;

// What a configuration costs, computed analytically on every edit (llmf/model/accounting.h, no tensors): the
// parameter count per component, training memory per micro-batch, and the KV cache of MHA vs GQA vs MQA.
class BreakdownPanel final : public QWidget
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(BreakdownPanel)

public:
    explicit BreakdownPanel(QWidget *parent = nullptr);
    ~BreakdownPanel() override;

    // `valid` = validate() found nothing; otherwise the numbers are shown as an estimate.
    void setConfig(const llmf::Config &config, bool valid);

protected:
    void changeEvent(QEvent *event) override;

private:
    void retranslate();
    void refresh();
    void showUnavailable(const QString &reason);
    void updateChart(const llmf::ParameterBreakdown &parameters);
    void updateMemory(const llmf::ParameterBreakdown &parameters, const llmf::MemoryEstimate &memory);
    void updateKvCache(const llmf::MemoryEstimate &memory);
    void applyColours();

    llmf::Config m_config;
    bool m_valid = true;

    QLabel *m_total = nullptr;
    QLabel *m_summary = nullptr;
    QLabel *m_note = nullptr;
    QLabel *m_plotHeading = nullptr;
    ParameterChart *m_plot = nullptr;
    QLabel *m_memoryHeading = nullptr;
    QTableWidget *m_memory = nullptr;
    QLabel *m_memoryNote = nullptr;
    QLabel *m_memoryFit = nullptr; // "will not fit on this machine", hidden when it fits
    QLabel *m_kvHeading = nullptr;
    QTableWidget *m_kvCache = nullptr;
    QLabel *m_kvNote = nullptr;
};

} // namespace llmf::views
