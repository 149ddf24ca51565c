package policy

// The embedded action tables are copies of the shared AWS data. Refresh them
// from a checkout that has the shared data beside it:
//
//go:generate go run ./internal/refresh -from ../../shared/data/aws -to data
