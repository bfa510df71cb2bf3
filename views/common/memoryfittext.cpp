#include "common/memoryfittext.h"

#include "llmf/model/accounting.h"

#include <QCoreApplication>

namespace llmf::views {

QString memoryFitWarning(const llmf::MemoryFit &fit)
{
    if (fit.fits())
        return {};
    const auto bytes = [](int64_t n) { return QString::fromStdString(llmf::humanBytes(n)); };
    const QString where = fit.where == "RAM" ? QCoreApplication::translate("MemoryFit", "RAM")
                                             : QCoreApplication::translate("MemoryFit", "GPU memory");
    QString text =
        QCoreApplication::translate("MemoryFit", "This training will not fit: it needs about %1 of %2 (%3 for the "
                                                 "weights, gradients and AdamW state, %4 for one batch's activations), "
                                                 "and %5 is available.")
            .arg(bytes(fit.needed), where, bytes(fit.parameterBytes), bytes(fit.activationBytes), bytes(fit.available));
    text += QLatin1Char(' ');
    if (fit.largestBatchThatFits > 0)
        text += QCoreApplication::translate("MemoryFit", "Set training.batch_size to %1 or less (raise "
                                                         "grad_accum_steps to keep the effective batch), or shorten "
                                                         "max_seq_len.")
                    .arg(fit.largestBatchThatFits);
    else
        text += QCoreApplication::translate("MemoryFit", "The parameters alone do not fit: make dim, n_layers, "
                                                         "vocab_size or ffn_hidden_dim smaller.");
    return text;
}

} // namespace llmf::views
