#pragma once

#include <QString>

namespace llmf::views {

// Where the app keeps what it makes: one folder, ~/.local/share/LLM Foundry/ (the application's name under the
// platform's data location). Qt's AppDataLocation would put the organisation's name in front of it as well
// ("LLM Foundry/LLM Foundry/"), which earlier versions used: migrateLegacyAppData() moves that folder over.
QString appDataDirectory();
// Runs trained in the app: $LLMF_RUNS_DIR, else <appDataDirectory()>/runs. The Training dashboard writes there, the
// Inspector's Open dialog starts there, the checklist's evidence looks there.
QString runsDirectory();

// On start: an earlier version's folder (<data>/<organisation>/<application>) becomes appDataDirectory() when that
// does not exist yet (a rename, so nothing is copied or lost). Returns a sentence for the status bar when it moved
// something or could not, empty otherwise. Both folders present: neither is touched, and the sentence says so.
QString migrateLegacyAppData();

} // namespace llmf::views
