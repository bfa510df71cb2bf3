#pragma once

// Shared by the serve tests: a server over a loaded run on a free 127.0.0.1 port, started by the test and
// stopped when the returned object goes.
#include "llmf/serve/openaiserver.h"
#include "llmf/run/rundirectory.h"

#include <memory>

namespace llmf::testing {

inline std::unique_ptr<OpenAIServer> startTestServer(const LoadedRun &run, ServeOptions options = {})
{
    options.port = 0;
    options.modelName = "run";
    auto server = std::make_unique<OpenAIServer>(run, options);
    server->start();
    return server;
}

} // namespace llmf::testing
