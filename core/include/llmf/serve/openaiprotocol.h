#pragma once

#include "llmf/serve/batchengine.h"

#include <string>
#include <vector>

namespace llmf {

// OpenAI's error object: {"error": {"message", "type", "param", "code"}} with an HTTP status.
struct ApiError
{
    int status = 400;
    std::string message;
    std::string type = "invalid_request_error";
    std::string param; // the request field at fault, empty when none
    std::string code;
    std::string json() const;
};

struct ChatMessage
{
    std::string role; // "system", "user", "assistant"
    std::string content;
};

// The one chat template (the model is a base language model, not trained on chats: the template only gives it a
// transcript to continue). Each message becomes "System: …", "User: …" or "Assistant: …" on its own line, then
// "Assistant:" asks for the reply; "\nUser:" is added to the stop strings so the reply ends where a base model
// would start writing the user's next turn.
std::string renderChat(const std::vector<ChatMessage> &messages);

// A parsed POST /v1/completions or /v1/chat/completions body.
struct ParsedCompletion
{
    CompletionRequest request;
    std::string prompt; // the text the model continues (the rendered chat for chat completions)
    bool chat = false;
    bool stream = false;
    bool echo = false;     // completions: the prompt is prepended to the text
    bool logprobs = false; // report log-probabilities (request.logprobs holds how many alternatives)
};

// Validates every field against OpenAI's types and ranges; ApiError (status 400) names the field otherwise.
// `modelName` is the one model served; another "model" is refused.
ParsedCompletion parseCompletion(const std::string &body, bool chat, const Tokenizer &tokenizer,
                                 const std::string &modelName, int64_t contextLength);

} // namespace llmf
