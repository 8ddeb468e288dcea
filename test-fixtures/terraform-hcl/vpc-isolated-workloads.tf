resource "aws_vpc" "main" {
  cidr_block = "10.0.0.0/16"
}

resource "aws_subnet" "a" {
  vpc_id     = aws_vpc.main.id
  cidr_block = "10.0.1.0/24"
}

resource "aws_route_table" "isolated" {
  vpc_id = aws_vpc.main.id
}

resource "aws_route_table_association" "a" {
  subnet_id      = aws_subnet.a.id
  route_table_id = aws_route_table.isolated.id
}

resource "aws_ecs_service" "app" {
  name        = "app"
  launch_type = "FARGATE"
  network_configuration {
    subnets = [aws_subnet.a.id]
  }
}
