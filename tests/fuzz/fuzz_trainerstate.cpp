// trainer_state.json, what `--resume` and the Training page read back from a run directory: core's parser and the
// views' summary of it (read from a file, as the page does).
#include "fuzztarget.h"

#include "llmf/common/atomicfile.h"
#include "llmf/common/error.h"
#include "llmf/run/trainerstate.h"
#include "training/metricsfile.h"

#include <QDir>
#include <QTemporaryDir>

LLMF_FUZZ_TARGET(trainerstate)
{
    const std::string text(llmf::fuzz::bytesOf(data, size));
    try {
        llmf::parseTrainerState(text, "fuzz/trainer_state.json");
    } catch (const llmf::Error &) {
    }
    static QTemporaryDir dir; // one directory for every input: creating one per input would dominate the run
    llmf::writeFileAtomically(QDir(dir.path()).filePath("trainer_state.json").toStdString(), text);
    llmf::views::readTrainerState(dir.path());
    return 0;
}
