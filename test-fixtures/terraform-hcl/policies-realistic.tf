data "aws_caller_identity" "current" {}

data "aws_region" "current" {}

variable "api_endpoint_id" {
  type = string
}

variable "organization_id" {
  type = string
}

resource "aws_kms_key" "data" {
  description         = "Encrypts the orders table"
  enable_key_rotation = true
  policy              = "{\"Version\": \"2012-10-17\", \"Statement\": [{\"Sid\": \"EnableRootPermissions\", \"Effect\": \"Allow\", \"Principal\": {\"AWS\": \"arn:aws:iam::${data.aws_caller_identity.current.account_id}:root\"}, \"Action\": \"kms:*\", \"Resource\": \"*\"}, {\"Sid\": \"AllowUseThroughDynamoDB\", \"Effect\": \"Allow\", \"Principal\": {\"AWS\": \"*\"}, \"Action\": [\"kms:Encrypt\", \"kms:Decrypt\", \"kms:ReEncrypt*\", \"kms:GenerateDataKey*\", \"kms:DescribeKey\"], \"Resource\": \"*\", \"Condition\": {\"StringEquals\": {\"kms:CallerAccount\": \"${data.aws_caller_identity.current.account_id}\", \"kms:ViaService\": \"dynamodb.${data.aws_region.current.name}.amazonaws.com\"}}}]}"
}

resource "aws_api_gateway_rest_api" "orders" {
  name = "orders-private"
  endpoint_configuration {
    types            = ["PRIVATE"]
    vpc_endpoint_ids = [var.api_endpoint_id]
  }
}

resource "aws_api_gateway_rest_api_policy" "orders" {
  rest_api_id = aws_api_gateway_rest_api.orders.id
  policy      = "{\"Version\": \"2012-10-17\", \"Statement\": [{\"Effect\": \"Allow\", \"Principal\": \"*\", \"Action\": \"execute-api:Invoke\", \"Resource\": \"${aws_api_gateway_rest_api.orders.execution_arn}/*\"}, {\"Effect\": \"Deny\", \"Principal\": \"*\", \"Action\": \"execute-api:Invoke\", \"Resource\": \"execute-api:/*\", \"Condition\": {\"StringNotEquals\": {\"aws:SourceVpce\": \"${var.api_endpoint_id}\"}}}]}"
}

resource "aws_s3_bucket" "uploads" {
  bucket_prefix = "uploads-"
}

resource "aws_s3_bucket_policy" "uploads" {
  bucket = aws_s3_bucket.uploads.id
  policy = "{\"Version\": \"2012-10-17\", \"Statement\": [{\"Sid\": \"DelegateToAccessPoints\", \"Effect\": \"Allow\", \"Principal\": {\"AWS\": \"*\"}, \"Action\": \"*\", \"Resource\": [\"${aws_s3_bucket.uploads.arn}\", \"${aws_s3_bucket.uploads.arn}/*\"], \"Condition\": {\"StringEquals\": {\"s3:DataAccessPointAccount\": \"${data.aws_caller_identity.current.account_id}\"}}}, {\"Sid\": \"TlsOnly\", \"Effect\": \"Deny\", \"Principal\": \"*\", \"Action\": \"s3:*\", \"Resource\": [\"${aws_s3_bucket.uploads.arn}\", \"${aws_s3_bucket.uploads.arn}/*\"], \"Condition\": {\"Bool\": {\"aws:SecureTransport\": \"false\"}}}]}"
}

resource "aws_sqs_queue" "jobs" {
  sqs_managed_sse_enabled = true
}

resource "aws_sqs_queue_policy" "jobs" {
  queue_url = aws_sqs_queue.jobs.id
  policy    = "{\"Statement\": [{\"Sid\": \"FromEventBridge\", \"Effect\": \"Allow\", \"Principal\": {\"Service\": \"events.amazonaws.com\"}, \"Action\": \"sqs:SendMessage\", \"Resource\": \"${aws_sqs_queue.jobs.arn}\", \"Condition\": {\"ArnEquals\": {\"aws:SourceArn\": \"arn:aws:events:eu-west-1:111122223333:rule/orders\"}}}, {\"Sid\": \"TlsOnly\", \"Effect\": \"Deny\", \"Principal\": \"*\", \"Action\": \"sqs:*\", \"Resource\": \"${aws_sqs_queue.jobs.arn}\", \"Condition\": {\"Bool\": {\"aws:SecureTransport\": \"false\"}}}]}"
}

resource "aws_iam_policy" "home" {
  name   = "home-directories"
  policy = "{\"Version\": \"2012-10-17\", \"Statement\": [{\"Effect\": \"Allow\", \"Action\": [\"s3:GetObject\", \"s3:PutObject\"], \"Resource\": \"${aws_s3_bucket.uploads.arn}/home/$${aws:username}/*\"}, {\"Effect\": \"Allow\", \"Action\": \"logs:*\", \"Resource\": \"arn:aws:logs:*\"}]}"
}
