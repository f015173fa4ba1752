return QSI.Node.QsiApp.Run(args);
