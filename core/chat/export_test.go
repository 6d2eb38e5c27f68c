package chat

// IsQuestion is isQuestion, for the external tests.
var IsQuestion = isQuestion
