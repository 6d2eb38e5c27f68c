// Package openai is the assistant's LLM client. The assistant asks an LLM (any OpenAI-compatible
// API) for goal plans, replan explanations, recommendations and hard-to-understand messages, and
// every such call goes through this package: it routes the job to its prompt and model, asks for a
// structured answer (a strict JSON schema, never free text), validates it, retries what is worth
// retrying and reports token usage.
//
// The offline paths live elsewhere. This package never decides a fallback: it returns errors that
// say what happened (ErrDisabled, ErrTimeout, ErrRateLimited, ErrUnavailable, ErrRefused,
// ErrMalformed, ErrInvalid, ErrRequest), and the caller chooses what to do.
package openai
