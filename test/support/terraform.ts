// Terraform written the way several tests need it: a public network (VPC, internet gateway,
// public subnet and its route), and a local module that calls another with the caller's argument.

/** A public subnet routed to an internet gateway, in one file. */
export const PUBLIC_NETWORK_TF = `resource "aws_vpc" "main" {
  cidr_block = "10.0.0.0/16"
}

resource "aws_internet_gateway" "main" {
  vpc_id = aws_vpc.main.id
}

resource "aws_subnet" "public" {
  vpc_id                  = aws_vpc.main.id
  cidr_block              = "10.0.1.0/24"
  map_public_ip_on_launch = true
}

resource "aws_route_table" "public" {
  vpc_id = aws_vpc.main.id
  route {
    cidr_block = "0.0.0.0/0"
    gateway_id = aws_internet_gateway.main.id
  }
}

resource "aws_route_table_association" "public" {
  subnet_id      = aws_subnet.public.id
  route_table_id = aws_route_table.public.id
}
`;

/** `modules/web/main.tf`: a security group and a call of `../rules` with the caller's `admin_cidr`. */
export const WEB_MODULE_TF = `variable "admin_cidr" {
  type = string
}

variable "web_cidr" {
  type    = string
  default = "10.0.0.0/8"
}

resource "aws_security_group" "web" {
  name = "web"

  ingress {
    from_port   = 443
    to_port     = 443
    protocol    = "tcp"
    cidr_blocks = [var.web_cidr]
  }
}

module "admin_rules" {
  source            = "../rules"
  cidr              = var.admin_cidr
  security_group_id = aws_security_group.web.id
}
`;

/** `modules/rules/main.tf`: an SSH rule open to the `cidr` it is given. */
export const RULES_MODULE_TF = `variable "cidr" {
  type = string
}

variable "security_group_id" {
  type = string
}

resource "aws_security_group_rule" "ssh" {
  type              = "ingress"
  from_port         = 22
  to_port           = 22
  protocol          = "tcp"
  cidr_blocks       = [var.cidr]
  security_group_id = var.security_group_id
}
`;
