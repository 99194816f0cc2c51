// Command connection-details-probe sends function-patch-and-transform the RunFunctionRequest that
// `crossplane render` would send for a case, plus the observed resources' connection details,
// which render cannot pass. It prints the XR connection details the function returns.
//
// regenerate.sh builds it in a throwaway module that requires function-patch-and-transform at the
// version under test, so it speaks that version's function-sdk-go protocol.
//
//	connection-details-probe <host:port> < request.json > response.json
//
// request.json: {"composite": {...}, "observed": {"<template>": {"resource": {...},
// "connectionDetails": {"key": "value"}}}, "input": {...}}
// response.json: {"connectionDetails": {"key": "value"}, "results": [{"severity": "...", "message": "..."}]}
package main

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"time"

	fnv1 "github.com/crossplane/function-sdk-go/proto/v1"
	"google.golang.org/grpc"
	"google.golang.org/grpc/credentials/insecure"
	"google.golang.org/protobuf/types/known/structpb"
)

type observedResource struct {
	Resource          map[string]any    `json:"resource"`
	ConnectionDetails map[string]string `json:"connectionDetails"`
}

type request struct {
	Composite map[string]any              `json:"composite"`
	Observed  map[string]observedResource `json:"observed"`
	Input     map[string]any              `json:"input"`
}

type result struct {
	Severity string `json:"severity"`
	Message  string `json:"message"`
}

type response struct {
	ConnectionDetails map[string]string `json:"connectionDetails"`
	Results           []result          `json:"results"`
}

func run(target string) error {
	var in request
	if err := json.NewDecoder(os.Stdin).Decode(&in); err != nil {
		return fmt.Errorf("cannot read request: %w", err)
	}
	xr, err := structpb.NewStruct(in.Composite)
	if err != nil {
		return fmt.Errorf("composite: %w", err)
	}
	input, err := structpb.NewStruct(in.Input)
	if err != nil {
		return fmt.Errorf("input: %w", err)
	}
	observed := &fnv1.State{Composite: &fnv1.Resource{Resource: xr}, Resources: map[string]*fnv1.Resource{}}
	for name, o := range in.Observed {
		r, err := structpb.NewStruct(o.Resource)
		if err != nil {
			return fmt.Errorf("observed %s: %w", name, err)
		}
		details := map[string][]byte{}
		for k, v := range o.ConnectionDetails {
			details[k] = []byte(v)
		}
		observed.Resources[name] = &fnv1.Resource{Resource: r, ConnectionDetails: details}
	}

	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	conn, err := grpc.NewClient(target, grpc.WithTransportCredentials(insecure.NewCredentials()))
	if err != nil {
		return fmt.Errorf("cannot dial %s: %w", target, err)
	}
	defer conn.Close() //nolint:errcheck // nothing to do about it

	// As crossplane render sends it: empty desired state, empty context, the step's input.
	rsp, err := fnv1.NewFunctionRunnerServiceClient(conn).RunFunction(ctx, &fnv1.RunFunctionRequest{
		Meta:     &fnv1.RequestMeta{},
		Observed: observed,
		Desired:  &fnv1.State{},
		Input:    input,
		Context:  &structpb.Struct{Fields: map[string]*structpb.Value{}},
	})
	if err != nil {
		return fmt.Errorf("RunFunction: %w", err)
	}

	out := response{ConnectionDetails: map[string]string{}, Results: []result{}}
	for k, v := range rsp.GetDesired().GetComposite().GetConnectionDetails() {
		out.ConnectionDetails[k] = string(v)
	}
	for _, r := range rsp.GetResults() {
		out.Results = append(out.Results, result{Severity: r.GetSeverity().String(), Message: r.GetMessage()})
	}
	enc := json.NewEncoder(os.Stdout)
	enc.SetIndent("", "  ")
	return enc.Encode(out)
}

func main() {
	if len(os.Args) != 2 {
		fmt.Fprintln(os.Stderr, "usage: connection-details-probe <host:port> < request.json")
		os.Exit(2)
	}
	if err := run(os.Args[1]); err != nil {
		fmt.Fprintln(os.Stderr, "connection-details-probe:", err)
		os.Exit(1)
	}
}
