# Admin access written with for_each and dynamic blocks, as teams write it: one rule per
# office, database ports from a set, web ports from a local.

locals {
  # Who may use SSH, by site.
  admin_cidrs = {
    office = "198.51.100.0/24"
    vpn    = "10.20.0.0/16"
    oncall = "0.0.0.0/0"
  }

  web_ports = {
    http  = 80
    https = 443
    admin = 8443
  }
}

resource "aws_security_group" "bastion" {
  name        = "bastion"
  description = "Bastion hosts"
  vpc_id      = "vpc-0123456789abcdef0"
}

resource "aws_security_group_rule" "ssh" {
  for_each          = local.admin_cidrs
  description       = "SSH from ${each.key}"
  type              = "ingress"
  from_port         = 22
  to_port           = 22
  protocol          = "tcp"
  cidr_blocks       = [each.value]
  security_group_id = aws_security_group.bastion.id
}

resource "aws_security_group_rule" "database" {
  for_each          = toset(["5432", "3306"])
  type              = "ingress"
  from_port         = each.key
  to_port           = each.key
  protocol          = "tcp"
  cidr_blocks       = ["10.0.0.0/8"]
  security_group_id = aws_security_group.bastion.id
}

resource "aws_security_group" "web" {
  name        = "web"
  description = "Web servers"
  vpc_id      = "vpc-0123456789abcdef0"

  dynamic "ingress" {
    for_each = local.web_ports
    content {
      description = ingress.key
      from_port   = ingress.value
      to_port     = ingress.value
      protocol    = "tcp"
      cidr_blocks = ["0.0.0.0/0"]
    }
  }
}
