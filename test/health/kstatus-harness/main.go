// Computes each fixture's kstatus (sigs.k8s.io/cli-utils/pkg/kstatus/status.Compute, what Flux's health
// checks use) and compares it with the expected status.
//
//	kstatus-harness -cases health/flux/kstatus_test.yaml -root health/argocd/resource_customizations
//
// It prints one line per case and a JSON summary last; it exits 1 when a case fails.
package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"path/filepath"

	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"sigs.k8s.io/cli-utils/pkg/kstatus/status"
	"sigs.k8s.io/yaml"
)

type cases struct {
	Tests []struct {
		InputPath string `json:"inputPath"`
		Status    string `json:"status"`
	} `json:"tests"`
}

type summary struct {
	Cases    int            `json:"cases"`
	Passed   int            `json:"passed"`
	Failed   []string       `json:"failed"`
	ByStatus map[string]int `json:"byStatus"`
}

func compute(path string) (*status.Result, error) {
	raw, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	// As a client reads it: JSON through the unstructured decoder (whole numbers are int64, as kstatus expects).
	j, err := yaml.YAMLToJSON(raw)
	if err != nil {
		return nil, err
	}
	u := &unstructured.Unstructured{}
	if err := u.UnmarshalJSON(j); err != nil {
		return nil, err
	}
	return status.Compute(u)
}

func main() {
	file := flag.String("cases", "", "YAML: tests: [{inputPath, status}]")
	root := flag.String("root", ".", "directory inputPath is relative to")
	flag.Parse()
	raw, err := os.ReadFile(*file)
	var c cases
	if err == nil {
		err = yaml.UnmarshalStrict(raw, &c)
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(2)
	}
	s := summary{Failed: []string{}, ByStatus: map[string]int{}}
	for _, tc := range c.Tests {
		s.Cases++
		path := filepath.Join(*root, tc.InputPath)
		res, err := compute(path)
		if err == nil && string(res.Status) != tc.Status {
			err = fmt.Errorf("got %s %q, want %s", res.Status, res.Message, tc.Status)
		}
		if err != nil {
			fmt.Printf("FAIL %s: %v\n", tc.InputPath, err)
			s.Failed = append(s.Failed, tc.InputPath)
			continue
		}
		s.Passed++
		s.ByStatus[tc.Status]++
		fmt.Printf("ok   %s: %s %q\n", tc.InputPath, res.Status, res.Message)
	}
	out, _ := json.Marshal(s)
	fmt.Println(string(out))
	if len(s.Failed) > 0 || s.Cases == 0 {
		os.Exit(1)
	}
}
