package deps

import "strings"

// pyImportNames maps distributions whose import name differs from their
// name (beyond case and -/_): the common cases in Lambda code.
var pyImportNames = map[string]string{
	"pyyaml": "yaml", "pillow": "pil", "beautifulsoup4": "bs4", "python-dateutil": "dateutil",
	"scikit-learn": "sklearn", "pyjwt": "jwt", "python-jose": "jose", "opencv-python": "cv2",
	"psycopg2-binary": "psycopg2", "pymysql": "pymysql", "mysql-connector-python": "mysql",
	"aws-lambda-powertools": "aws_lambda_powertools", "aws-xray-sdk": "aws_xray_sdk",
	"protobuf": "google", "google-cloud-storage": "google", "python-dotenv": "dotenv",
	"pycryptodome": "crypto", "attrs": "attr", "msgpack-python": "msgpack",
}

// Imported lists which of the packages the code imports. imports are what
// internal/code reports for the language (npm package names, Python
// top-level modules, Go import paths, Java packages, Ruby require names,
// C# namespaces).
func Imported(s *Set, imports []string) []string {
	if s == nil {
		return nil
	}
	var out []string
	for _, p := range s.Packages {
		for _, imp := range imports {
			if importMatches(s.Ecosystem, p.Name, imp) {
				out = append(out, p.Name)
				break
			}
		}
	}
	return out
}

func importMatches(eco, pkg, imp string) bool {
	switch eco {
	case NPM:
		return pkg == imp
	case PyPI:
		name := strings.ToLower(strings.ReplaceAll(imp, "-", "_"))
		if alias, ok := pyImportNames[pkg]; ok && alias == name {
			return true
		}
		return strings.ReplaceAll(PyName(pkg), "-", "_") == strings.ReplaceAll(PyName(imp), "-", "_")
	case GoMod:
		return imp == pkg || strings.HasPrefix(imp, pkg+"/")
	case Maven:
		group, artifact, _ := strings.Cut(pkg, ":")
		if strings.HasPrefix(imp, group+".") || imp == group {
			return true
		}
		// software.amazon.awssdk:dynamodb -> software.amazon.awssdk.services.dynamodb
		segs := strings.Split(group, ".")
		if len(segs) > 3 {
			segs = segs[:3]
		}
		prefix := strings.Join(segs, ".")
		if !strings.HasPrefix(imp, prefix+".") {
			return false
		}
		// jackson-databind -> com.fasterxml.jackson.databind: a word of the
		// artifact is a segment of the import.
		segSet := map[string]bool{}
		for _, s := range strings.Split(imp, ".") {
			segSet[s] = true
		}
		for _, w := range strings.Split(artifact, "-") {
			if len(w) > 2 && segSet[w] && !segSet[strings.ToLower(group)] {
				return true
			}
		}
		return false
	case RubyGems:
		return imp == pkg || strings.ReplaceAll(imp, "/", "-") == pkg || strings.HasPrefix(imp, pkg+"/")
	case NuGet:
		// AWSSDK.DynamoDBv2 is the package of namespace Amazon.DynamoDBv2.
		id := pkg
		if strings.HasPrefix(id, "AWSSDK.") {
			id = "Amazon." + strings.TrimPrefix(id, "AWSSDK.")
		}
		return imp == id || strings.HasPrefix(imp, id+".")
	}
	return false
}
