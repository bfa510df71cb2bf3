// checklist.json, the learner's persisted progress: loaded from a file (a damaged one is set aside with a warning),
// then changed and saved again.
#include "fuzztarget.h"

#include "checklist/checkliststore.h"
#include "llmf/common/atomicfile.h"

#include <QDir>
#include <QTemporaryDir>

LLMF_FUZZ_TARGET(checklist)
{
    static QTemporaryDir dir;
    const QString path = QDir(dir.path()).filePath(QStringLiteral("checklist.json"));
    llmf::writeFileAtomically(path.toStdString(), llmf::fuzz::bytesOf(data, size));
    llmf::views::ChecklistStore store(path);
    store.doneCount({QStringLiteral("self-attention"), QStringLiteral("rope")});
    store.earn(QStringLiteral("self-attention"), QStringLiteral("fuzz"));
    store.markLessonPassed(QStringLiteral("s1-attention-and-ffn"));
    llmf::views::ChecklistStore reread(path); // what was saved reads back without a warning
    if (store.saveError().isEmpty() && !reread.loadWarning().isEmpty())
        __builtin_trap();
    return 0;
}
