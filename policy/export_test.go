package policy

// OutcomeWithoutExplanation is the engine's outcome of a request without
// the explanation, as it decides every intent first.
func (e *Engine) OutcomeWithoutExplanation(req Request) Outcome { return e.outcome(req) }
