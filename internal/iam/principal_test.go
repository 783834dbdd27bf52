package iam

import "testing"

func TestServicePrincipal(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{"states.amazonaws.com", "states.amazonaws.com"},
		{"states.${AWS::URLSuffix}", "states.amazonaws.com"},
		{"states.${AWS::Region}.${AWS::URLSuffix}", "states.${AWS::Region}.amazonaws.com"},
		{"states.${AWS::Region}.amazonaws.com", "states.${AWS::Region}.amazonaws.com"},
		{"logs.eu-west-1.${AWS::URLSuffix}", "logs.eu-west-1.amazonaws.com"},
		{"${AWS::URLSuffix}", "${AWS::URLSuffix}"},
		{".${AWS::URLSuffix}", ".${AWS::URLSuffix}"},
		{"arn:${AWS::Partition}:iam::${AWS::AccountId}:root", "arn:${AWS::Partition}:iam::${AWS::AccountId}:root"},
		{"arn:aws:iam::123456789012:role/x.${AWS::URLSuffix}", "arn:aws:iam::123456789012:role/x.${AWS::URLSuffix}"},
		{"*", "*"},
		{"123456789012", "123456789012"},
	} {
		if got := ServicePrincipal(c.in); got != c.want {
			t.Errorf("ServicePrincipal(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}
