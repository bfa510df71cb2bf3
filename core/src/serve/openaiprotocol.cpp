#include "llmf/serve/openaiprotocol.h"

#include <nlohmann/json.hpp>

#include <random>

namespace llmf {

namespace {

using nlohmann::json;

ApiError badRequest(const std::string &param, const std::string &message)
{
    ApiError e;
    e.param = param;
    e.message = message;
    return e;
}

// Reads an optional field of the given kind, with OpenAI's names in the messages.
double number(const json &body, const char *key, double fallback, double low, double high)
{
    if (!body.contains(key) || body[key].is_null())
        return fallback;
    if (!body[key].is_number())
        throw badRequest(key, std::string("'") + key + "' must be a number.");
    const double v = body[key].get<double>();
    if (!(v >= low && v <= high))
        throw badRequest(key, std::string("'") + key + "' is " + body[key].dump() + "; allowed: " + json(low).dump() +
                                  " to " + json(high).dump() + ".");
    return v;
}

int64_t integer(const json &body, const char *key, int64_t fallback, int64_t low, int64_t high)
{
    if (!body.contains(key) || body[key].is_null())
        return fallback;
    if (!body[key].is_number_integer())
        throw badRequest(key, std::string("'") + key + "' must be an integer.");
    const auto v = body[key].get<int64_t>();
    if (v < low || v > high)
        throw badRequest(key, std::string("'") + key + "' is " + std::to_string(v) +
                                  "; allowed: " + std::to_string(low) + " to " + std::to_string(high) + ".");
    return v;
}

bool boolean(const json &body, const char *key)
{
    if (!body.contains(key) || body[key].is_null())
        return false;
    if (!body[key].is_boolean())
        throw badRequest(key, std::string("'") + key + "' must be true or false.");
    return body[key].get<bool>();
}

std::vector<ChatMessage> messagesOf(const json &body)
{
    if (!body.contains("messages") || !body["messages"].is_array() || body["messages"].empty())
        throw badRequest("messages", "'messages' must be a non-empty array of {\"role\", \"content\"} objects.");
    std::vector<ChatMessage> messages;
    for (size_t i = 0; i < body["messages"].size(); ++i) {
        const json &m = body["messages"][i];
        const std::string where = "messages[" + std::to_string(i) + "]";
        if (!m.is_object() || !m.contains("role") || !m["role"].is_string())
            throw badRequest(where + ".role", where + " needs a 'role' string.");
        const std::string role = m["role"].get<std::string>();
        if (role != "system" && role != "user" && role != "assistant")
            throw badRequest(where + ".role", where + ".role is '" + role + "'; allowed: system, user, assistant.");
        if (!m.contains("content") || !m["content"].is_string())
            throw badRequest(where + ".content", where + ".content must be a string.");
        messages.push_back({role, m["content"].get<std::string>()});
    }
    return messages;
}

} // namespace

std::string ApiError::json() const
{
    return nlohmann::json{{"error",
                           {{"message", message},
                            {"type", type},
                            {"param", param.empty() ? nlohmann::json(nullptr) : nlohmann::json(param)},
                            {"code", code.empty() ? nlohmann::json(nullptr) : nlohmann::json(code)}}}}
        .dump();
}

std::string renderChat(const std::vector<ChatMessage> &messages)
{
    std::string text;
    for (const auto &m : messages) {
        const std::string role = m.role == "system" ? "System" : m.role == "user" ? "User" : "Assistant";
        text += role + ": " + m.content + "\n";
    }
    return text + "Assistant:";
}

ParsedCompletion parseCompletion(const std::string &bodyText, bool chat, const Tokenizer &tokenizer,
                                 const std::string &modelName, int64_t contextLength)
{
    const json body = json::parse(bodyText, nullptr, /*allow_exceptions=*/false);
    if (body.is_discarded())
        throw badRequest("", "The request body is not valid JSON.");
    if (!body.is_object())
        throw badRequest("", "The request body must be a JSON object.");
    ParsedCompletion p;
    p.chat = chat;
    if (body.contains("model") && !body["model"].is_null()) {
        if (!body["model"].is_string())
            throw badRequest("model", "'model' must be a string.");
        if (body["model"].get<std::string>() != modelName) {
            ApiError e = badRequest("model", "The model '" + body["model"].get<std::string>() +
                                                 "' does not exist; this server serves '" + modelName + "'.");
            e.code = "model_not_found";
            throw e;
        }
    }
    if (integer(body, "n", 1, 1, 1) != 1)
        throw badRequest("n", "Only n = 1 is supported.");
    if (chat) {
        p.prompt = renderChat(messagesOf(body));
        p.request.stop.push_back("\nUser:");
    } else {
        if (!body.contains("prompt") || !body["prompt"].is_string())
            throw badRequest("prompt", "'prompt' must be a string (one prompt per request).");
        p.prompt = body["prompt"].get<std::string>();
    }
    p.request.promptIds = tokenizer.encode(p.prompt);
    const auto promptTokens = static_cast<int64_t>(p.request.promptIds.size());
    if (promptTokens >= contextLength)
        throw badRequest(chat ? "messages" : "prompt",
                         "The prompt has " + std::to_string(promptTokens) + " tokens; this model's context holds " +
                             std::to_string(contextLength) + ", and at least one must be left to generate.");
    const int64_t room = contextLength - std::max<int64_t>(promptTokens, 1);
    const char *maxKey = chat && body.contains("max_completion_tokens") ? "max_completion_tokens" : "max_tokens";
    GenerationConfig &g = p.request.sampling;
    g.max_new_tokens = integer(body, maxKey, chat ? room : std::min<int64_t>(16, room), 1, room);
    g.temperature = number(body, "temperature", 1.0, 0.0, 2.0);
    const double topP = number(body, "top_p", 1.0, 0.0, 1.0);
    if (topP <= 0.0)
        throw badRequest("top_p", "'top_p' must be above 0.");
    g.top_p = topP < 1.0 ? std::optional<double>(topP) : std::nullopt;
    const int64_t topK = integer(body, "top_k", 0, 0, 1 << 20);
    g.top_k = topK > 0 ? std::optional<int64_t>(topK) : std::nullopt;
    g.repetition_penalty = number(body, "repetition_penalty", 1.0, 1e-3, 100.0);
    g.seed = body.contains("seed") && !body["seed"].is_null()
                 ? integer(body, "seed", 0, INT64_MIN, INT64_MAX)
                 : static_cast<int64_t>(std::random_device{}() >> 1); // OpenAI: unseeded requests differ
    if (body.contains("stop") && !body["stop"].is_null()) {
        const json &stop = body["stop"];
        if (stop.is_string()) {
            p.request.stop.push_back(stop.get<std::string>());
        } else if (stop.is_array() && stop.size() <= 4) {
            for (const auto &s : stop) {
                if (!s.is_string())
                    throw badRequest("stop", "'stop' must be a string or an array of up to 4 strings.");
                p.request.stop.push_back(s.get<std::string>());
            }
        } else {
            throw badRequest("stop", "'stop' must be a string or an array of up to 4 strings.");
        }
        for (const auto &s : p.request.stop)
            if (s.empty())
                throw badRequest("stop", "A stop string is empty.");
    }
    p.stream = boolean(body, "stream");
    p.request.ignoreEos = boolean(body, "ignore_eos");
    p.request.wantLogprobs = p.logprobs; // extension (as in vLLM): fixed-length benchmark requests
    if (chat) {
        p.logprobs = boolean(body, "logprobs");
        p.request.logprobs = p.logprobs ? static_cast<int>(integer(body, "top_logprobs", 0, 0, 20)) : 0;
    } else {
        p.echo = boolean(body, "echo");
        p.logprobs = body.contains("logprobs") && !body["logprobs"].is_null();
        p.request.logprobs = static_cast<int>(integer(body, "logprobs", 0, 0, 5));
    }
    p.request.wantLogprobs = p.logprobs;
    return p;
}

} // namespace llmf
