// Runs Argo CD health checks the way Argo CD runs them: gopher-lua, the global `obj` built from the object,
// only the libraries Argo CD opens for health scripts (package, base, table; no string, no io), one second
// at most, the returned table read as {status, message}. Each health_test.yaml case is checked against it.
//
//	lua-harness -tree <resource_customizations dir>
//	    every <group>/<kind>/health_test.yaml against the health.lua beside it
//	lua-harness -cm <argocd-cm.yaml> -tests <dir>[,<dir>...]
//	    every health_test.yaml under the dirs against the script argocd-cm gives the object's group/kind
//
// It prints one line per case and a JSON summary last; it exits 1 when a case fails.
package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"time"

	lua "github.com/yuin/gopher-lua"
	"sigs.k8s.io/yaml"
)

type healthStatus struct {
	Status  string `json:"status"`
	Message string `json:"message,omitempty"`
}

type testFile struct {
	Tests []struct {
		InputPath    string       `json:"inputPath"`
		HealthStatus healthStatus `json:"healthStatus"`
	} `json:"tests"`
}

var validStatus = map[string]bool{"Healthy": true, "Progressing": true, "Degraded": true, "Suspended": true, "Missing": true, "Unknown": true}

// toLua turns decoded JSON into Lua values: objects become tables keyed by name, arrays 1-based tables.
func toLua(l *lua.LState, v any) lua.LValue {
	switch x := v.(type) {
	case nil:
		return lua.LNil
	case bool:
		return lua.LBool(x)
	case float64:
		return lua.LNumber(x)
	case json.Number:
		f, err := x.Float64()
		if err != nil {
			return lua.LString(x.String())
		}
		return lua.LNumber(f)
	case string:
		return lua.LString(x)
	case []any:
		t := l.CreateTable(len(x), 0)
		for _, item := range x {
			t.Append(toLua(l, item))
		}
		return t
	case map[string]any:
		t := l.CreateTable(0, len(x))
		for k, item := range x {
			t.RawSetString(k, toLua(l, item))
		}
		return t
	}
	return lua.LString(fmt.Sprint(v))
}

// evaluate runs script with obj as Argo CD does and returns the health it reports.
func evaluate(script string, obj map[string]any) (healthStatus, error) {
	l := lua.NewState(lua.Options{SkipOpenLibs: true})
	defer l.Close()
	for _, lib := range []struct {
		name string
		open lua.LGFunction
	}{{lua.LoadLibName, lua.OpenPackage}, {lua.BaseLibName, lua.OpenBase}, {lua.TabLibName, lua.OpenTable}} {
		if err := l.CallByParam(lua.P{Fn: l.NewFunction(lib.open), NRet: 0, Protect: true}, lua.LString(lib.name)); err != nil {
			return healthStatus{}, err
		}
	}
	ctx, cancel := context.WithTimeout(context.Background(), time.Second)
	defer cancel()
	l.SetContext(ctx)
	l.SetGlobal("obj", toLua(l, obj))
	if err := l.DoString(script); err != nil {
		return healthStatus{}, err
	}
	ret := l.Get(-1)
	if ret.Type() != lua.LTTable {
		return healthStatus{}, fmt.Errorf("health.lua returned %s, not a table", ret.Type())
	}
	t := ret.(*lua.LTable)
	hs := healthStatus{Status: lua.LVAsString(t.RawGetString("status")), Message: lua.LVAsString(t.RawGetString("message"))}
	for _, key := range []string{"status", "message"} {
		if v := t.RawGetString(key); v != lua.LNil && v.Type() != lua.LTString {
			return hs, fmt.Errorf("%s is a %s, not a string", key, v.Type())
		}
	}
	if !validStatus[hs.Status] {
		return hs, fmt.Errorf("status %q is not one Argo CD knows", hs.Status)
	}
	return hs, nil
}

func readObject(path string) (map[string]any, error) {
	raw, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	obj := map[string]any{}
	return obj, yaml.Unmarshal(raw, &obj)
}

// groupKind is Argo CD's key for an object: "<group>/<kind>".
func groupKind(obj map[string]any) string {
	apiVersion, _ := obj["apiVersion"].(string)
	kind, _ := obj["kind"].(string)
	group := ""
	if i := strings.Index(apiVersion, "/"); i >= 0 {
		group = apiVersion[:i]
	}
	return group + "/" + kind
}

type scriptFor func(dir string, obj map[string]any) (string, error)

type summary struct {
	Files    int            `json:"files"`
	Cases    int            `json:"cases"`
	Passed   int            `json:"passed"`
	Failed   []string       `json:"failed"`
	ByKind   map[string]int `json:"byKind"`
	ByStatus map[string]int `json:"byStatus"`
}

func runTests(roots []string, script scriptFor) summary {
	s := summary{Failed: []string{}, ByKind: map[string]int{}, ByStatus: map[string]int{}}
	for _, root := range roots {
		_ = filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
			if err != nil || d.IsDir() || d.Name() != "health_test.yaml" {
				return err
			}
			s.Files++
			dir := filepath.Dir(path)
			raw, err := os.ReadFile(path)
			var tf testFile
			if err == nil {
				err = yaml.UnmarshalStrict(raw, &tf)
			}
			if err != nil || len(tf.Tests) == 0 {
				s.Failed = append(s.Failed, fmt.Sprintf("%s: no cases (%v)", path, err))
				return nil
			}
			for _, tc := range tf.Tests {
				s.Cases++
				name := filepath.Join(dir, tc.InputPath)
				got, err := func() (healthStatus, error) {
					obj, err := readObject(name)
					if err != nil {
						return healthStatus{}, err
					}
					src, err := script(dir, obj)
					if err != nil {
						return healthStatus{}, err
					}
					s.ByKind[groupKind(obj)]++
					return evaluate(src, obj)
				}()
				if err == nil && got != tc.HealthStatus {
					err = fmt.Errorf("got %s %q, want %s %q", got.Status, got.Message, tc.HealthStatus.Status, tc.HealthStatus.Message)
				}
				if err != nil {
					fmt.Printf("FAIL %s: %v\n", name, err)
					s.Failed = append(s.Failed, name)
					continue
				}
				s.Passed++
				s.ByStatus[got.Status]++
				fmt.Printf("ok   %s: %s %q\n", name, got.Status, got.Message)
			}
			return nil
		})
	}
	return s
}

// fromTree: the health.lua beside the test, for objects of the group/kind its directory names.
func fromTree(root string) scriptFor {
	return func(dir string, obj map[string]any) (string, error) {
		rel, err := filepath.Rel(root, dir)
		if err != nil {
			return "", err
		}
		if gk := groupKind(obj); rel != gk {
			return "", fmt.Errorf("fixture is a %s, in the directory of %s", gk, rel)
		}
		src, err := os.ReadFile(filepath.Join(dir, "health.lua"))
		return string(src), err
	}
}

// fromConfigMap: Argo CD's lookup in argocd-cm: the resource.customizations.health.<group>_<kind> key, else
// the first matching wildcard of the resource.customizations block.
func fromConfigMap(path string) (scriptFor, error) {
	raw, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var cm struct {
		Kind string            `json:"kind"`
		Data map[string]string `json:"data"`
	}
	if err := yaml.Unmarshal(raw, &cm); err != nil {
		return nil, err
	}
	if cm.Kind != "ConfigMap" || len(cm.Data) == 0 {
		return nil, errors.New("not a ConfigMap with data")
	}
	exact := map[string]string{}
	type wildcard struct {
		pattern *regexp.Regexp
		script  string
	}
	var wildcards []wildcard
	for key, value := range cm.Data {
		if rest, ok := strings.CutPrefix(key, "resource.customizations.health."); ok {
			group, kind, found := strings.Cut(rest, "_")
			if !found {
				group, kind = "", rest
			}
			exact[group+"/"+kind] = value
			continue
		}
		if key != "resource.customizations" {
			return nil, fmt.Errorf("unexpected argocd-cm key %q", key)
		}
		overrides := map[string]struct {
			HealthLua string `json:"health.lua"`
		}{}
		if err := yaml.UnmarshalStrict([]byte(value), &overrides); err != nil {
			return nil, fmt.Errorf("resource.customizations: %w", err)
		}
		keys := make([]string, 0, len(overrides))
		for k := range overrides {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			re := "^" + strings.ReplaceAll(regexp.QuoteMeta(k), `\*`, ".*") + "$"
			wildcards = append(wildcards, wildcard{regexp.MustCompile(re), overrides[k].HealthLua})
		}
	}
	return func(_ string, obj map[string]any) (string, error) {
		gk := groupKind(obj)
		if s, ok := exact[gk]; ok {
			return s, nil
		}
		for _, w := range wildcards {
			if w.pattern.MatchString(gk) && w.script != "" {
				return w.script, nil
			}
		}
		return "", fmt.Errorf("argocd-cm has no health check for %s", gk)
	}, nil
}

func main() {
	tree := flag.String("tree", "", "resource_customizations directory")
	cm := flag.String("cm", "", "argocd-cm ConfigMap YAML")
	tests := flag.String("tests", "", "comma-separated directories of health_test.yaml files (with -cm)")
	flag.Parse()
	var s summary
	switch {
	case *tree != "":
		s = runTests([]string{*tree}, fromTree(filepath.Clean(*tree)))
	case *cm != "" && *tests != "":
		script, err := fromConfigMap(*cm)
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(2)
		}
		s = runTests(strings.Split(*tests, ","), script)
	default:
		flag.Usage()
		os.Exit(2)
	}
	out, _ := json.Marshal(s)
	fmt.Println(string(out))
	if len(s.Failed) > 0 || s.Cases == 0 {
		os.Exit(1)
	}
}
