// Package localtest gives other packages' tests a real, throwaway PostgreSQL
// server from the local sandbox, torn down when the test ends.
package localtest
