// Package iam knows IAM: every action's access level, wildcard expansion, the
// SAM policy templates and the AWS managed policies, all from catalogs
// generated into catalogs/ and embedded.
package iam

import "github.com/samthreat/samthreat/internal/model"

// AccessLevel returns read|write|list|tagging|permissions for an exact action
// (case-insensitive); ok is false for an action the catalog does not know.
func AccessLevel(action string) (level string, ok bool) { return "", false } // STUB

// ExpandAction expands a pattern with * and ? ("s3:Get*", "iot:*", "*")
// against the catalog, canonical casing, sorted. An exact known action returns
// itself; an unknown action without wildcards returns []string{action}.
func ExpandAction(pattern string) []string { return []string{pattern} } // STUB

// PolicyTemplate returns a SAM policy template's definition as JSON bytes
// ({"Statement":[...]}, intrinsics such as Fn::Sub and Ref to its parameters
// left in place) and its parameter names.
func PolicyTemplate(name string) (def []byte, params []string, ok bool) { return nil, nil, false } // STUB

// PolicyTemplateNames lists every SAM policy template, sorted.
func PolicyTemplateNames() []string { return nil } // STUB

// ManagedPolicy returns the policy document (JSON bytes) of an AWS managed
// policy given by name ("AmazonS3FullAccess", "service-role/AWSLambdaBasicExecutionRole")
// or ARN; ok is false when unknown.
func ManagedPolicy(nameOrARN string) (doc []byte, ok bool) { return nil, false } // STUB

// Grants expands statements into one Grant per allowed (action, target), with
// access levels, minus what Deny statements remove; NotAction is expanded
// against the catalog.
func Grants(stmts []model.Statement) []model.Grant { return nil } // STUB
