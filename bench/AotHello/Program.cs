// Writes one line and exits: what every hook costs at the least (process start of a Native AOT binary).
Console.Out.Write("hello\n");
return 0;
