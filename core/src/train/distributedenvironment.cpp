#include "llmf/train/distributed.h"

#include "llmf/common/error.h"

#include <algorithm>
#include <cstdlib>
#include <string>

namespace llmf {

namespace {

const char *variable(const char *name)
{
    const char *value = std::getenv(name);
    return value && *value ? value : nullptr;
}

int integerVariable(const char *name, int minimum, int maximum)
{
    const char *text = variable(name);
    if (!text)
        throw Error(std::string(name) + " is not set, but WORLD_SIZE is: a distributed worker needs RANK, "
                                        "WORLD_SIZE, MASTER_ADDR and MASTER_PORT.",
                    "Start the workers with `llmf train --nproc-per-node N`, which sets all of them.");
    char *end = nullptr;
    const long value = std::strtol(text, &end, 10);
    if (*end != '\0' || value < minimum || value > maximum)
        throw Error(std::string(name) + " is '" + text + "'; allowed: a whole number from " + std::to_string(minimum) +
                    " to " + std::to_string(maximum) + ".");
    return static_cast<int>(value);
}

} // namespace

std::optional<DistributedEnvironment> DistributedEnvironment::fromEnvironment()
{
    if (!variable("WORLD_SIZE"))
        return std::nullopt;
    DistributedEnvironment env;
    env.worldSize = integerVariable("WORLD_SIZE", 1, 4096);
    env.rank = integerVariable("RANK", 0, env.worldSize - 1);
    env.localRank = variable("LOCAL_RANK") ? integerVariable("LOCAL_RANK", 0, env.worldSize - 1) : 0;
    env.localWorldSize = variable("LOCAL_WORLD_SIZE") ? integerVariable("LOCAL_WORLD_SIZE", 1, env.worldSize) : 1;
    env.masterAddr = variable("MASTER_ADDR") ? variable("MASTER_ADDR") : "127.0.0.1";
    env.masterPort = env.worldSize > 1 ? integerVariable("MASTER_PORT", 1, 65535) : 0;
    env.groupRank = variable("GROUP_RANK") ? integerVariable("GROUP_RANK", 0, env.worldSize - 1) : 0;
    // One role only (torchrun's default "default"): its role rank is the global rank.
    if (variable("ROLE_RANK") && integerVariable("ROLE_RANK", 0, env.worldSize - 1) != env.rank)
        throw Error("ROLE_RANK is " + std::string(variable("ROLE_RANK")) + " but RANK is " + std::to_string(env.rank) +
                        ": llmf trains one role, whose ranks are the global ones.",
                    "Launch llmf train as the only role of the job.");
    if (const char *agent = variable("TORCHELASTIC_USE_AGENT_STORE")) {
        const std::string value = agent;
        if (value == "True" || value == "true" || value == "1")
            env.agentStore = true;
        else if (value != "False" && value != "false" && value != "0")
            throw Error("TORCHELASTIC_USE_AGENT_STORE is '" + value + "'; allowed: True or False.");
    }
    if (const char *runId = variable("TORCHELASTIC_RUN_ID"))
        env.runId = runId;
    if (variable("LLMF_RENDEZVOUS_TIMEOUT_S"))
        env.rendezvousTimeoutSeconds = integerVariable("LLMF_RENDEZVOUS_TIMEOUT_S", 1, 86400);
    return env;
}

int DistributedEnvironment::threadsPerWorker(int cores) const
{
    if (const char *fixed = variable("LLMF_NUM_THREADS"); fixed && std::atoi(fixed) > 0)
        return std::atoi(fixed);
    return std::max(1, cores / std::max(1, localWorldSize));
}

} // namespace llmf
