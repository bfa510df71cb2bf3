// metrics.jsonl, what resume truncates and the Training page replays into its charts: each line through the parser
// (core's, through the views' QByteArray front), the file through core's truncation (which keeps whole lines of
// this app up to a step) and through the tail that follows a file another process appends to.
#include "fuzztarget.h"

#include "llmf/common/atomicfile.h"
#include "llmf/common/error.h"
#include "llmf/run/metricslog.h"
#include "llmf/run/rundirectory.h"
#include "training/metricsfile.h"

#include <QByteArray>
#include <QDir>
#include <QTemporaryDir>

LLMF_FUZZ_TARGET(metrics)
{
    const QByteArray bytes(reinterpret_cast<const char *>(data), static_cast<int>(size));
    for (const QByteArray &line : bytes.split('\n'))
        llmf::views::parseMetricsLine(line);

    static QTemporaryDir dir;
    const llmf::RunDirectory run(dir.path().toStdString());
    llmf::writeFileAtomically(run.metricsPath(), bytes.toStdString());
    llmf::MetricsTail follower(run.metricsPath());
    follower.poll();
    try {
        run.truncateMetricsAfter(size % 7 == 0 ? -1 : static_cast<int64_t>(size % 100));
    } catch (const llmf::Error &) {
    }
    return 0;
}
