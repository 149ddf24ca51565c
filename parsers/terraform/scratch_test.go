package terraform_test

import (
	"os"
	"testing"
)

func TestScratch(t *testing.T) {
	src, _ := os.ReadFile(os.Getenv("TF"))
	g := load(t, tree{"main.tf": string(src)})
	t.Log("\n" + g.dump())
}
