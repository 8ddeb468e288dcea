variable "office_cidr" {
  type    = string
  default = "192.168.0.0/16"
}

resource "aws_s3_bucket" "site" {
  bucket = "example-site"
}

resource "aws_s3_bucket_policy" "site" {
  bucket = aws_s3_bucket.site.id
  policy = <<-EOT
    {
      "Version": "2012-10-17",
      "Statement": [
        {
          "Sid": "PublicRead",
          "Effect": "Allow",
          "Principal": "*",
          "Action": "s3:GetObjekt",
          "Resource": "${aws_s3_bucket.site.arn}/*"
        },
        {
          "Sid": "Office",
          "Effect": "Allow",
          "Principal": {
            "AWS": "arn:aws:iam::111122223333:root"
          },
          "Action": "s3:PutObject",
          "Resource": "${aws_s3_bucket.site.arn}/*",
          "Condition": {
            "IpAddress": {
              "aws:SourceIp": "${var.office_cidr}"
            }
          }
        }
      ]
    }
  EOT
}

resource "aws_iam_role" "app" {
  name               = "app"
  assume_role_policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [
      {
        Effect    = "Allow"
        Principal = {
          AWS = "*"
        }
        Action    = "sts:AssumeRole"
      },
    ]
  })
  inline_policy {
    name   = "read"
    policy = "{\"Version\": \"2012-10-17\", \"Statement\": [{\"Effect\": \"Allow\", \"Action\": [\"s3:GetObject\", \"s3:ListBucket\"], \"Resource\": [\"${aws_s3_bucket.site.arn}\", \"${aws_s3_bucket.site.arn}/$${aws:username}/*\"]}]}"
  }
}

resource "aws_sqs_queue" "jobs" {
  name   = "jobs"
  policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [
      {
        Effect    = "Deny"
        Principal = "*"
        Action    = "sqs:*"
        Resource  = "*"
        Condition = {
          StringNotEquals = {
            "aws:SourceVpce" = "vpce-0a1b2c3d4e5f67890"
          }
        }
      },
    ]
  })
}

resource "aws_iam_policy" "generated" {
  name   = "generated"
  policy = data.aws_iam_policy_document.generated.json
}

resource "aws_iam_policy" "object_form" {
  name   = "object-form"
  policy = {
    Version   = "2012-10-17"
    Statement = [
      {
        Effect    = "Allow"
        Action    = "ec2:Describe*"
        Resource  = "*"
        Condition = {
          "ForAnyValue:StringEquals" = {
            "aws:RequestedRegion" = ["eu-west-1"]
          }
        }
      },
    ]
  }
}

resource "aws_vpc_endpoint" "s3" {
  vpc_id       = "vpc-0123456789abcdef0"
  service_name = "com.amazonaws.eu-west-1.s3"
  policy       = jsonencode({
    Statement = [
      {
        Effect    = "Allow"
        Principal = "*"
        Action    = "s3:*"
        Resource  = "*"
      },
    ]
  })
}
